import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Metrics } from '../metrics/metrics.service';
import { CaseService } from '../cases/case.service';
import { Clock } from '../common/clock/clock.service';
import { PeriodicTask, PeriodicWork } from '../common/periodic/periodic-work';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { FailedAuthLimiter } from '../common/auth/failed-auth-limiter';
import { ApiError } from '../common/errors/api-error';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { SupplierService } from '../suppliers/supplier.service';
import { verifyWebhook, WebhookRejection } from './signature/webhook-signature';
import { parseSupplierWebhook } from './supplier-webhook-events';
import { purgeReceipts, receiptSeen } from './webhook-receipts';

export type SupplierWebhookResult =
  | { duplicate: true }
  | { caseId: string; state: string; version: number };

export interface InboundWebhook {
  supplierId: string;
  /** The client address, for the failed-authentication limit on unknown suppliers. */
  address: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received; the signature covers these bytes. */
  rawBody: Buffer | string | undefined;
  /** The same body, parsed. */
  body: unknown;
}

const REJECTION_MESSAGES: Record<WebhookRejection, string> = {
  missing_headers: 'Missing webhook-id, webhook-timestamp or webhook-signature header',
  bad_timestamp: 'webhook-timestamp must be Unix seconds',
  timestamp_out_of_tolerance: 'webhook-timestamp is more than 5 minutes from the server clock',
  bad_signature: 'No webhook-signature matches this supplier and body',
};

/**
 * Inbound supplier webhooks (api.md "Supplier webhooks"): verifies the Standard Webhooks signature
 * against every active secret of the supplier on the server's clock (the test clock when it is on),
 * then hands the mapped event to {@link CaseService.applyWebhook} as the supplier, scoped to its
 * cases.
 *
 * Nothing is recorded for a refused request. Deduplication on `webhook-id` is the receipt written
 * with the event (webhook-receipts.ts): parallel deliveries of one webhook serialise on the case
 * row and exactly one applies. The look-up before it is only a fast path.
 */
@Injectable()
export class SupplierWebhooksService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SupplierWebhooksService.name);
  private purge: PeriodicTask | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly suppliers: SupplierService,
    private readonly cases: CaseService,
    private readonly metrics: Metrics,
    private readonly periodic: PeriodicWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly failures: FailedAuthLimiter,
  ) {}

  /** Webhook ids past their retention are forgotten every `webhookReceiptPurgeIntervalMs`. */
  onApplicationBootstrap(): void {
    this.purge = this.periodic.start(
      'webhook-receipt-purge',
      this.config.webhookReceiptPurgeIntervalMs,
      async () => {
        await this.purgeReceipts().catch((error: unknown) => {
          this.logger.warn(`Purging old webhook receipts failed: ${String(error)}`);
        });
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.purge?.stop();
  }

  /** Verifies, dedupes and applies one delivery; every result is counted in the metrics. */
  async receive(inbound: InboundWebhook): Promise<SupplierWebhookResult> {
    try {
      const result = await this.process(inbound);
      this.metrics.webhook('duplicate' in result ? 'duplicate' : 'accepted');
      return result;
    } catch (error) {
      const code = error instanceof ApiError ? error.code : 'internal_error';
      this.metrics.webhook(code === 'unauthorized' ? 'bad_signature' : code);
      throw error;
    }
  }

  private async process(inbound: InboundWebhook): Promise<SupplierWebhookResult> {
    const now = this.clock.now();
    // An unknown supplier gets the same answer as a bad signature: ids are not confirmed to anyone.
    const supplierId = isUuid(inbound.supplierId) ? inbound.supplierId.toLowerCase() : null;
    // Failed signatures are limited per path id (20 a second), and those naming no supplier per
    // client address too, so random ids cannot buy a lookup each without limit.
    const pathTracker = `webhook:supplier:${supplierId ?? 'invalid'}`;
    const addressTracker = `ip:${inbound.address}`;
    this.failures.assertAllowed(pathTracker, addressTracker);
    const secrets = supplierId ? await this.suppliers.activeSecrets(supplierId, now) : [];
    const verified =
      inbound.rawBody === undefined
        ? null
        : verifyWebhook({ secrets, headers: inbound.headers, rawBody: inbound.rawBody, now });
    if (!verified?.ok || !supplierId) {
      this.failures.recordFailure(pathTracker);
      if (secrets.length === 0) this.failures.recordFailure(addressTracker);
      throw unauthorized(
        REJECTION_MESSAGES[verified && !verified.ok ? verified.reason : 'bad_signature'],
      );
    }

    const receipt = { supplierId, webhookId: verified.id };
    if (await receiptSeen(this.dataSource, receipt)) return { duplicate: true };

    const parsed = parseSupplierWebhook(inbound.body);
    if (!parsed.ok) throw ApiError.validation(parsed.problems);
    const { event } = parsed;
    const result = await this.cases.applyWebhook(event.caseId, {
      type: event.eventType,
      payload: event.payload,
      actor: { kind: 'supplier', id: supplierId },
      scope: { supplierId },
      webhook: receipt,
    });
    if (result.duplicate) return { duplicate: true };
    return { caseId: result.caseId, state: result.state, version: result.version };
  }

  /** Forgets webhook ids received before `now` minus the retention; returns how many. */
  async purgeReceipts(now: Date = this.clock.now()): Promise<number> {
    return purgeReceipts(this.dataSource, now);
  }
}

function unauthorized(message: string): ApiError {
  return new ApiError('unauthorized', message);
}
