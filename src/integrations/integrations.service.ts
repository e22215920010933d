import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { SecretBox } from '../common/secrets/secret-box';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { IntegrationRepository, type Sender } from './integration.repository';
import { verifyBase64Hmac } from './signature';

/** What each automatic opening is switched to, and when a parcel counts as lost (intake.md). */
export interface MerchantSettings {
  autoOpen: {
    late_shipment: boolean;
    customs_delay: boolean;
    lost_parcel: boolean;
    buyer_cancellation: boolean;
  };
  lostAfterDays: { domestic: number; international: number };
}

/** Told of a merchant's settings before and after a change. */
export type SettingsListener = (
  merchantId: string,
  before: MerchantSettings,
  after: MerchantSettings,
) => Promise<void>;

/** Every switch off by default. */
export const DEFAULT_SETTINGS: MerchantSettings = {
  autoOpen: {
    late_shipment: false,
    customs_delay: false,
    lost_parcel: false,
    buyer_cancellation: false,
  },
  lostAfterDays: { domestic: 10, international: 30 },
};

/** The fields a change sets (a DTO's absent fields are there as undefined). */
function given<T extends object>(change: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(change ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** A sealed integration secret's authenticated purpose, per sender (SecretBox). */
const purpose = (sender: Sender) => `integration-secret:${sender}`;

/** How long an opened integration secret is kept in memory. */
const SECRET_CACHE_MS = 1_000;

/** Inbound deliveries are remembered this long for dedupe (senders retry for up to 2 days). */
export const INTEGRATION_RECEIPT_RETENTION_MS = 7 * 24 * 3_600_000;

/** An inbound webhook as a receiver hands it over. */
export interface SignedDelivery {
  merchantId: string;
  rawBody: Buffer | string | undefined;
  signature: string | string[] | undefined;
  deliveryId: string | string[] | undefined;
  /** The shop the sender says it speaks for (Shopify's `X-Shopify-Shop-Domain`), if it says. */
  shopDomain?: string | string[] | undefined;
}

/**
 * A delivery that names a shop must name the merchant's stored one (case aside): a shop's webhook
 * sent to another merchant's address is refused even if the two shared a secret. A delivery that
 * names none, or a merchant with no stored shop, is judged by its signature alone.
 */
export function sameShop(said: string | string[] | undefined, stored: string | null): boolean {
  const domain = (Array.isArray(said) ? said[0] : said)?.trim().toLowerCase();
  if (!domain || !stored) return true;
  return domain === stored.trim().toLowerCase();
}

/**
 * Per-merchant integrations (intake.md): the senders' secrets, stored only sealed
 * ({@link SecretBox}, never answered back), the settings of automatic openings, and the one door
 * every inbound delivery goes through ({@link verify}): the merchant, the signature over the raw
 * body and the shop, before anything is recorded; then the dedupe receipts.
 */
@Injectable()
export class IntegrationsService {
  private readonly secrets = new Map<
    string,
    {
      value: { secret: string; supplierId: string | null; shopDomain: string | null } | null;
      until: number;
    }
  >();

  private readonly settingsListeners: SettingsListener[] = [];

  constructor(
    private readonly repository: IntegrationRepository,
    private readonly box: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** Stores the sender's secret (sealed) for the merchant; 404 when there is no such merchant. */
  async configure(
    merchantId: string,
    sender: Sender,
    secret: string,
    shopDomain: string | null,
    supplierId: string | null,
  ) {
    if (!(await this.repository.merchantExists(merchantId))) throw ApiError.notFound('Merchant');
    if (supplierId && !(await this.repository.supplierExists(supplierId)))
      throw ApiError.validation([{ field: 'supplierId', problem: 'names no supplier' }]);
    const sealed = this.box.seal(secret, purpose(sender));
    const now = this.clock.now();
    this.secrets.delete(`${merchantId}:${sender}`);
    await this.repository.saveIntegration(merchantId, sender, sealed, shopDomain, supplierId, now);
    return {
      merchantId,
      sender,
      shopDomain,
      supplierId,
      configured: true,
      updatedAt: now.toISOString(),
    };
  }

  async settings(merchantId: string): Promise<MerchantSettings> {
    const row = await this.repository.settings(merchantId);
    if (!row) return DEFAULT_SETTINGS;
    return {
      autoOpen: { ...DEFAULT_SETTINGS.autoOpen, ...row.auto_open },
      lostAfterDays: { ...DEFAULT_SETTINGS.lostAfterDays, ...row.lost_after_days },
    };
  }

  /** Changes the settings given (the others keep their value); 404 for no such merchant. */
  async saveSettings(
    merchantId: string,
    change: {
      autoOpen?: Partial<MerchantSettings['autoOpen']>;
      lostAfterDays?: Partial<MerchantSettings['lostAfterDays']>;
    },
  ): Promise<MerchantSettings> {
    if (!(await this.repository.merchantExists(merchantId))) throw ApiError.notFound('Merchant');
    const now = await this.settings(merchantId);
    const next: MerchantSettings = {
      autoOpen: { ...now.autoOpen, ...given(change.autoOpen) },
      lostAfterDays: { ...now.lostAfterDays, ...given(change.lostAfterDays) },
    };
    await this.repository.saveSettings(
      merchantId,
      { auto_open: next.autoOpen, lost_after_days: next.lostAfterDays },
      this.clock.now(),
    );
    for (const listener of this.settingsListeners) await listener(merchantId, now, next);
    return next;
  }

  /** Told after a merchant's settings changed (the lost-parcel timers follow `lostAfterDays`). */
  onSettings(listener: SettingsListener): void {
    this.settingsListeners.push(listener);
  }

  /**
   * The one door of inbound deliveries: the merchant, the signature over the raw body and the
   * shop (401, nothing recorded), and the delivery id. Each receiver writes the receipt with its
   * work (AfterShip, in its one statement) or after it (Shopify, {@link recordReceipt}).
   */
  async verify(
    sender: Sender,
    delivery: SignedDelivery,
  ): Promise<{ deliveryId: string; supplierId: string | null }> {
    const refuse = () =>
      new ApiError('unauthorized', `The ${sender} signature does not match this merchant's secret`);
    if (!isUuid(delivery.merchantId)) throw refuse();
    const integration = await this.secretOf(delivery.merchantId, sender);
    if (!integration) throw refuse();
    if (!verifyBase64Hmac(delivery.rawBody, delivery.signature, integration.secret)) throw refuse();
    if (!sameShop(delivery.shopDomain, integration.shopDomain)) {
      throw new ApiError(
        'unauthorized',
        `The ${sender} delivery names another shop than this merchant's`,
      );
    }
    const id = typeof delivery.deliveryId === 'string' ? delivery.deliveryId.trim() : '';
    if (id === '' || id.length > 200) {
      throw ApiError.validation([
        { field: 'deliveryId', problem: 'is required (at most 200 characters)' },
      ]);
    }
    return { deliveryId: id, supplierId: integration.supplierId };
  }

  /**
   * The merchant's opened secret for a sender, kept in memory for {@link SECRET_CACHE_MS}: a
   * tracking webhook is one look-up then, not two. A secret changed on another instance is
   * picked up within that time (this instance's own changes at once).
   */
  private async secretOf(merchantId: string, sender: Sender) {
    const key = `${merchantId}:${sender}`;
    const now = Date.now();
    const cached = this.secrets.get(key);
    if (cached && cached.until > now) return cached.value;
    const row = await this.repository.integration(merchantId, sender);
    const value = row
      ? {
          secret: this.box.open(row.secret_sealed, purpose(sender)),
          supplierId: row.supplier_id,
          shopDomain: row.shop_domain,
        }
      : null;
    if (this.secrets.size > 10_000) this.secrets.clear();
    this.secrets.set(key, { value, until: now + SECRET_CACHE_MS });
    return value;
  }

  /** Whether this delivery id was received (and done) before. */
  seen(sender: Sender, merchantId: string, deliveryId: string): Promise<boolean> {
    return this.repository.hasReceipt(merchantId, sender, deliveryId);
  }

  /** Writes a delivery's receipt once its work is done; false when another wrote it first. */
  recordReceipt(sender: Sender, merchantId: string, deliveryId: string): Promise<boolean> {
    return this.repository.claimReceipt(merchantId, sender, deliveryId, this.clock.now());
  }

  /** Forgets receipts past their retention. */
  purgeReceipts(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - INTEGRATION_RECEIPT_RETENTION_MS);
    return this.repository.purgeReceipts(before);
  }

  merchantCountry(merchantId: string): Promise<string | null> {
    return this.repository.merchantCountry(merchantId);
  }

  openCases(merchantId: string, orderRef: string) {
    return this.repository.openCases(merchantId, orderRef);
  }
}
