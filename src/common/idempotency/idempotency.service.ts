import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.service';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ApiError } from '../errors/api-error';
import { PeriodicTask, PeriodicWork } from '../periodic/periodic-work';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** An in-flight claim older than this was left by a crashed instance and may be taken over. */
const ABANDONED_AFTER_MS = 60_000;
const POLL_INTERVAL_MS = 25;
const WAIT_LIMIT_MS = 10_000;

export type IdempotencyClaim =
  | { kind: 'started' }
  | { kind: 'replay'; status: number; body: unknown };

interface StoredRow {
  request_hash: string;
  status: number | null;
  body: unknown;
}

/** JSON with object keys sorted at every level, so `{a,b}` and `{b,a}` hash the same. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body)}`)
    .digest('hex');
}

/**
 * The `idempotency_keys` table: one row per (caller, Idempotency-Key): an API key, or a link (see linkCaller), claimed before the handler
 * runs (status NULL = in flight) and completed with the response. Kept 24 h from the server's clock;
 * an expired row is overwritten by the next claim, and swept every `idempotencySweepIntervalMs`
 * (PeriodicWork).
 */
@Injectable()
export class IdempotencyService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyService.name);
  private sweeping: PeriodicTask | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly periodic: PeriodicWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.sweeping = this.periodic.start(
      'idempotency-sweep',
      this.config.idempotencySweepIntervalMs,
      () => this.sweep(),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.sweeping?.stop();
  }

  /**
   * Claims the key for this request, or answers the stored response. Waits for a concurrent request
   * with the same key and body to finish; 409 `idempotency_key_in_use` if it does not within 10 s,
   * 409 `idempotency_key_reused` for another body.
   */
  async begin(callerId: string, key: string, hash: string): Promise<IdempotencyClaim> {
    const waitUntil = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const now = this.clock.now();
      const claimed: unknown[] = await this.dataSource.query(
        `INSERT INTO idempotency_keys
           (caller_id, key, request_hash, status, body, created_at, expires_at)
         VALUES ($1, $2, $3, NULL, NULL, $4, $5)
         ON CONFLICT (caller_id, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, status = NULL, body = NULL,
               created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
           WHERE idempotency_keys.expires_at <= EXCLUDED.created_at
              OR (idempotency_keys.status IS NULL AND idempotency_keys.created_at <= $6)
         RETURNING 1`,
        [
          callerId,
          key,
          hash,
          now,
          new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
          new Date(now.getTime() - ABANDONED_AFTER_MS),
        ],
      );
      if (claimed.length > 0) return { kind: 'started' };

      const rows: StoredRow[] = await this.dataSource.query(
        `SELECT request_hash, status, body FROM idempotency_keys
         WHERE caller_id = $1 AND key = $2`,
        [callerId, key],
      );
      if (rows.length === 0) continue; // the holder failed with a 5xx and let go: claim again
      const row = rows[0];
      if (row.request_hash !== hash) {
        throw new ApiError(
          'idempotency_key_reused',
          'This Idempotency-Key was used with another request; use a new key for a new request',
        );
      }
      if (row.status !== null) return { kind: 'replay', status: row.status, body: row.body };
      if (Date.now() >= waitUntil) {
        throw new ApiError(
          'idempotency_key_in_use',
          'A request with this Idempotency-Key is still being processed; retry later',
        );
      }
      await sleep(POLL_INTERVAL_MS);
    }
  }

  /** Stores the response of a claimed request, for replays. */
  async complete(callerId: string, key: string, status: number, body: unknown): Promise<void> {
    const json = body === undefined ? null : JSON.stringify(body);
    await this.dataSource.query(
      `UPDATE idempotency_keys SET status = $3, body = $4::jsonb
       WHERE caller_id = $1 AND key = $2`,
      [callerId, key, status, json],
    );
  }

  /** Lets go of a claim whose request failed on our side, so the client may retry with the key. */
  async release(callerId: string, key: string, hash: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys
       WHERE caller_id = $1 AND key = $2 AND request_hash = $3 AND status IS NULL`,
      [callerId, key, hash],
    );
  }

  /** Deletes up to 1,000 expired keys (a sweep bounded in time; the next one takes the rest). */
  private async sweep(): Promise<void> {
    await this.dataSource
      .query(
        `DELETE FROM idempotency_keys WHERE ctid IN (
           SELECT ctid FROM idempotency_keys WHERE expires_at <= $1 LIMIT 1000)`,
        [this.clock.now()],
      )
      .catch((error: unknown) => this.logger.warn(`Idempotency sweep failed: ${String(error)}`));
  }
}
