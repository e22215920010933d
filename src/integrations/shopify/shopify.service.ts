import { Injectable, Logger } from '@nestjs/common';
import { OrderService } from '../../orders/order.service';
import { AutoOpenService, type AutoOpenResult } from '../intake/auto-open.service';
import { IntegrationsService } from '../integrations.service';
import {
  cancelReason,
  fulfillmentOrder,
  SHOPIFY_TOPICS,
  shopifyOrder,
  shopifyShipment,
  UnusableShopifyPayload,
  type ShopifyTopic,
} from './shopify-mapping';

export interface ShopifyDelivery {
  merchantId: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer | string | undefined;
  body: unknown;
}

export type ShopifyResult =
  | { duplicate: true }
  | { topic: string; ignored: true; reason?: string }
  | { topic: string; orderId: string; created?: boolean; autoOpen?: AutoOpenResult };

const header = (headers: ShopifyDelivery['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * Shopify's webhooks for one merchant (intake.md, "Shopify"): verified by the one door
 * (IntegrationsService.verify: `X-Shopify-Hmac-Sha256` over the raw body, the shop's domain),
 * deduped on `X-Shopify-Webhook-Id`, then mapped by topic to the same order writes and openings
 * as everyone's. The receipt is written once the work is done, so a delivery whose work fails
 * or stops half way is applied by Shopify's retry.
 */
@Injectable()
export class ShopifyService {
  private readonly logger = new Logger(ShopifyService.name);

  constructor(
    private readonly integrations: IntegrationsService,
    private readonly orders: OrderService,
    private readonly autoOpen: AutoOpenService,
  ) {}

  async receive(delivery: ShopifyDelivery): Promise<ShopifyResult> {
    const { merchantId, headers } = delivery;
    const { deliveryId, supplierId } = await this.integrations.verify('shopify', {
      merchantId,
      rawBody: delivery.rawBody,
      signature: headers['x-shopify-hmac-sha256'],
      deliveryId: headers['x-shopify-webhook-id'],
      shopDomain: headers['x-shopify-shop-domain'],
    });
    if (await this.integrations.seen('shopify', merchantId, deliveryId)) return { duplicate: true };
    const topic = header(headers, 'x-shopify-topic') ?? '';
    let result: ShopifyResult;
    try {
      result = (SHOPIFY_TOPICS as readonly string[]).includes(topic)
        ? await this.apply(merchantId, topic as ShopifyTopic, delivery.body, supplierId)
        : { topic, ignored: true };
    } catch (error) {
      if (!(error instanceof UnusableShopifyPayload)) throw error;
      this.logger.warn(`shopify ${topic} for merchant ${merchantId} ignored: ${error.message}`);
      result = { topic, ignored: true, reason: error.message };
    }
    // The receipt after the work: a process that stops in between leaves none, and Shopify's
    // retry does the work again (every topic's work is idempotent: upserts by ref, parcels by
    // tracking number, one open case per order and type). Of concurrent deliveries of one id,
    // the one that writes the receipt answers; the others say duplicate.
    const fresh = await this.integrations.recordReceipt('shopify', merchantId, deliveryId);
    return fresh ? result : { duplicate: true };
  }

  private async apply(
    merchantId: string,
    topic: ShopifyTopic,
    body: unknown,
    supplierId: string | null,
  ): Promise<ShopifyResult> {
    if (topic === 'fulfillments/create' || topic === 'fulfillments/update') {
      const shipment = shopifyShipment(body);
      const which = fulfillmentOrder(body);
      const order = await this.orders.findForShop(merchantId, which.externalId, which.ref);
      if (!shipment)
        return { topic, ignored: true, reason: 'the fulfillment has no tracking number' };
      if (!order) return { topic, ignored: true, reason: 'no order of this merchant matches it' };
      await this.orders.addShipments(merchantId, order, [shipment]);
      return { topic, orderId: order.id };
    }
    const country = (await this.integrations.merchantCountry(merchantId)) ?? 'US';
    const order = shopifyOrder(body, { country, supplierId });
    const written = await this.orders.upsert(merchantId, order, 'shopify');
    if (topic !== 'orders/cancelled')
      return { topic, orderId: written.id, created: written.created };
    const autoOpen = await this.autoOpen.open(
      merchantId,
      order.ref,
      'buyer_cancellation',
      cancelReason(body),
    );
    return { topic, orderId: written.id, created: written.created, autoOpen };
  }
}
