import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock/clock.service';
import { PeriodicTask, PeriodicWork } from '../../common/periodic/periodic-work';
import { PARTY_TABLES } from '../../common/parties/party';
import { CaseLinks } from '../../collaboration/case-links.service';
import { PartySecrets } from '../../common/parties/party-secrets.service';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { DeliveryAttempt, postSigned } from '../delivery/http-sender';
import { nextAttemptAt } from '../delivery/retry-schedule';
import { checkWebhookUrl } from '../delivery/webhook-url-policy';

/** Notifications claimed (and sent in parallel) at a time. */
export const DISPATCH_BATCH_SIZE = 10;
/**
 * A claimed notification is not due again until this much later: long enough for one attempt
 * (15 s timeout) and its bookkeeping, short enough that a crash between claim and send only delays
 * the delivery by a minute.
 */
export const DISPATCH_LEASE_MS = 60_000;
/** Batches per `dispatchDue` call at most, so one call cannot run forever. */
const MAX_BATCHES_PER_RUN = 100;

interface ClaimedNotification {
  id: string;
  case_id: string;
  party: 'merchant' | 'supplier';
  party_id: string;
  body: unknown;
  attempts: number;
}

interface Endpoint {
  url: string | null;
  secret: string | null;
  /** The party's older secrets still active after a rotation (newest first). */
  previous_secrets: string[];
}

/** The party's URL and every active secret (sealed), newest first. */
interface EndpointRow {
  url: string | null;
  secrets: (string | null)[] | null;
}

/** What an attempt ended as, for the notification's row. */
type Settlement =
  | { kind: 'delivered' }
  | { kind: 'retry'; at: Date }
  | { kind: 'failed' }
  | { kind: 'no_endpoint' };

/**
 * Delivers the outbox (api.md "Outbound notifications"): CaseService records `notifications` rows
 * in the event's transaction; this sends them, signed the Standard Webhooks way, and retries with
 * backoff on the server's clock.
 *
 * Each notification goes through three short steps, never a transaction held over the network:
 * 1. claim: in one statement, lock due `pending` rows (`FOR UPDATE SKIP LOCKED`, so several
 *    instances share the work) and push their `next_attempt_at` forward by a lease;
 * 2. send: the URL policy, then one signed POST (`webhook-id` = the notification's id, so the
 *    receiver can deduplicate a redelivery);
 * 3. record: the attempt row, and the notification `delivered`, scheduled again, or `failed`.
 * An instance that dies after 1 leaves the row pending with a lease that runs out, and another
 * claim (after a restart, or on another instance) sends it: at least once, never lost.
 *
 * With `dispatcherEnabled` it runs every `dispatcherIntervalMs` on PeriodicWork (`@nestjs/schedule`); {@link dispatchDue} also runs it on demand (the
 * test clock calls it after moving time).
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NotificationDispatcher.name);
  private task: PeriodicTask | null = null;
  private stopped = false;
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly periodic: PeriodicWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly partySecrets: PartySecrets,
    private readonly links: CaseLinks,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.dispatcherEnabled) return;
    this.task = this.periodic.start(
      'notification-dispatcher',
      this.config.dispatcherIntervalMs,
      async () => {
        await this.dispatchDue().catch((error: unknown) => {
          this.logger.warn(`Notification dispatch failed: ${describe(error)}`);
        });
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.task?.stop();
    // Let attempts in flight record their result before the database pool closes.
    await Promise.allSettled([...this.running]);
  }

  /**
   * Sends every notification due at `now` (default: the clock), batch after batch, and records
   * each attempt. Returns the number of attempts made. Safe to call concurrently with the loop and
   * with other instances: a notification is claimed by one caller at a time.
   */
  async dispatchDue(now: Date = this.clock.now()): Promise<number> {
    const run = this.runBatches(now);
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  private async runBatches(now: Date): Promise<number> {
    let attempts = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN && !this.stopped; batch++) {
      const claimed = await this.claim(now);
      const results = await Promise.allSettled(claimed.map((n) => this.deliver(n, now)));
      for (const result of results) {
        if (result.status === 'rejected') {
          this.logger.warn(`Recording a notification attempt failed: ${describe(result.reason)}`);
        }
      }
      attempts += claimed.length;
      if (claimed.length < DISPATCH_BATCH_SIZE) break;
    }
    return attempts;
  }

  /** Step 1: due pending rows, locked and leased in one short statement. */
  private async claim(now: Date): Promise<ClaimedNotification[]> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows] = await this.dataSource.query<[ClaimedNotification[], number]>(
      `UPDATE notifications n SET next_attempt_at = $2
       WHERE n.id IN (
         SELECT id FROM notifications
         WHERE state = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at, id
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
       AND n.state = 'pending'
       RETURNING n.id, n.case_id, n.party, n.party_id, n.body, n.attempts`,
      [now, new Date(now.getTime() + DISPATCH_LEASE_MS), DISPATCH_BATCH_SIZE],
    );
    return rows;
  }

  /** Steps 2 and 3 for one claimed notification. */
  private async deliver(notification: ClaimedNotification, now: Date): Promise<void> {
    const endpoint = await this.endpointOf(notification, now);
    let attempt: DeliveryAttempt;
    if (!endpoint.url) {
      // The party removed its webhookUrl after the notification was written.
      return this.record(notification, now, null, { kind: 'no_endpoint' });
    }
    const check = await checkWebhookUrl(endpoint.url, {
      allowPrivate: this.config.allowPrivateWebhooks,
    });
    if (!check.ok) {
      attempt = refused(check.problem);
    } else if (!endpoint.secret) {
      attempt = refused(`the ${notification.party} has no active webhook secret`);
    } else {
      attempt = await postSigned({
        target: check.target,
        secret: endpoint.secret,
        alsoSignedWith: endpoint.previous_secrets,
        msgId: notification.id,
        body: JSON.stringify(await this.bodyOf(notification, now)),
        now,
      });
    }
    // The attempt ended later than it started; on the test clock, by the real time it took.
    const ended = new Date(now.getTime() + attempt.durationMs);
    return this.record(notification, ended, attempt, this.settle(notification, attempt, ended));
  }

  /**
   * What is sent: the stored body and, to a supplier, the case's live supplier link
   * (collaboration.md). The link is added here, at delivery, and never stored with the body: its
   * token is a secret the database keeps only hashed and sealed.
   */
  private async bodyOf(notification: ClaimedNotification, now: Date): Promise<unknown> {
    if (notification.party !== 'supplier') return notification.body;
    const link = await this.links.liveSupplierLink(notification.case_id, now);
    return link ? { ...(notification.body as object), supplierLink: link } : notification.body;
  }

  private settle(
    notification: ClaimedNotification,
    attempt: DeliveryAttempt,
    ended: Date,
  ): Settlement {
    if (attempt.delivered) return { kind: 'delivered' };
    const honoursRetryAfter = attempt.status === 429 || attempt.status === 503;
    const at = nextAttemptAt(notification.attempts + 1, ended, {
      retryAfter: honoursRetryAfter ? attempt.retryAfter : null,
    });
    return at ? { kind: 'retry', at } : { kind: 'failed' };
  }

  /**
   * Step 3. The update only applies to the attempt this claim made (`attempts` unchanged since):
   * if the lease ran out and another instance already recorded a newer attempt, ours is kept in
   * the history but does not move the notification back.
   */
  private async record(
    notification: ClaimedNotification,
    at: Date,
    attempt: DeliveryAttempt | null,
    settlement: Settlement,
  ): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      if (attempt) {
        await tx.query(
          `INSERT INTO notification_attempts (notification_id, at, status, error, duration_ms)
           VALUES ($1, $2, $3, $4, $5)`,
          [notification.id, at, attempt.status, attempt.error, attempt.durationMs],
        );
      }
      const state = settlement.kind === 'retry' ? 'pending' : settlement.kind;
      await tx.query(
        `UPDATE notifications SET
           state = $3,
           attempts = attempts + $4,
           next_attempt_at = $5,
           last_error = $6,
           delivered_at = $7
         WHERE id = $1 AND state = 'pending' AND attempts = $2`,
        [
          notification.id,
          notification.attempts,
          state,
          attempt ? 1 : 0,
          settlement.kind === 'retry' ? settlement.at : null,
          attempt?.error ?? (settlement.kind === 'no_endpoint' ? 'no webhookUrl' : null),
          settlement.kind === 'delivered' ? at : null,
        ],
      );
    });
  }

  /**
   * The party's URL now, and the secrets that sign for it: its newest active one, and the older
   * ones still active after a rotation (stored sealed: PartySecrets opens them).
   */
  private async endpointOf(notification: ClaimedNotification, now: Date): Promise<Endpoint> {
    const { table, secrets, column } = PARTY_TABLES[notification.party];
    const rows = await this.dataSource.query<EndpointRow[]>(
      `SELECT p.webhook_url AS url,
         (SELECT array_agg(k.secret_sealed ORDER BY k.created_at DESC, k.id DESC) FROM ${secrets} k
          WHERE k.${column} = p.id AND (k.expires_at IS NULL OR k.expires_at > $2)) AS secrets
       FROM ${table} p WHERE p.id = $1`,
      [notification.party_id, now],
    );
    const row = rows[0];
    const sealed = (row?.secrets ?? []).filter((k): k is string => !!k);
    const [secret = null, ...previous] = this.partySecrets.openAll(sealed);
    return { url: row?.url ?? null, secret, previous_secrets: previous };
  }
}

/** An attempt refused before any network I/O (URL policy, missing secret). */
function refused(error: string): DeliveryAttempt {
  return { delivered: false, status: null, error, retryAfter: null, durationMs: 0 };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
