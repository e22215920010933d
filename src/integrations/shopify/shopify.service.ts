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
 * Shopify's webhooks for one merchant (intake.md, "Shopify"): admitted by the one door
 * (IntegrationsService.admit: `X-Shopify-Hmac-Sha256` over the raw body, then
 * `X-Shopify-Webhook-Id` for dedupe), then mapped by topic to the same order writes and openings
 * as everyone's. A delivery whose work fails gives its receipt back, so Shopify's retry applies.
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
    const admitted = await this.integrations.admit('shopify', {
      merchantId,
      rawBody: delivery.rawBody,
      signature: headers['x-shopify-hmac-sha256'],
      deliveryId: headers['x-shopify-webhook-id'],
      shopDomain: headers['x-shopify-shop-domain'],
    });
    if (admitted.duplicate) return { duplicate: true };
    const topic = header(headers, 'x-shopify-topic') ?? '';
    try {
      if (!(SHOPIFY_TOPICS as readonly string[]).includes(topic)) return { topic, ignored: true };
      return await this.apply(
        merchantId,
        topic as ShopifyTopic,
        delivery.body,
        admitted.supplierId,
      );
    } catch (error) {
      if (error instanceof UnusableShopifyPayload) {
        this.logger.warn(`shopify ${topic} for merchant ${merchantId} ignored: ${error.message}`);
        return { topic, ignored: true, reason: error.message };
      }
      await this.integrations.release('shopify', merchantId, admitted.deliveryId);
      throw error;
    }
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
