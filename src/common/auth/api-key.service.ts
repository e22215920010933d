import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Clock } from '../clock/clock.service';
import { Principal, Role } from './principal';

export const API_KEY_PREFIX = 'rk_live_';
/** Longer bearer tokens are refused without hashing (ours are 51 characters). */
const MAX_KEY_LENGTH = 512;
const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

/** A key as answered once at creation: `key` is never shown again. */
export interface CreatedApiKey {
  id: string;
  key: string;
  prefix: string;
  role: Role;
  merchantId: string | null;
  createdAt: string;
}

interface ApiKeyRow {
  id: string;
  role: Role;
  merchant_id: string | null;
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/**
 * API keys: created with 256 random bits, shown once, stored only as SHA-256 (`api_keys.key_hash`)
 * with a 12-character display prefix. Authentication looks the hash up in the unique index: the
 * comparison is on the hash of the secret, not the secret, so its timing tells an attacker nothing
 * about a valid key (no timingSafeEqual needed). Lookups are cached for 5 s per instance, so the
 * hot path does not pay a query per request; only hits are cached, so a new key works at once.
 */
@Injectable()
export class ApiKeyService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeyService.name);
  /** Keyed by the hex hash, never the key itself. Expiry on the monotonic clock (not domain time). */
  private readonly cache = new Map<string, { principal: Principal; until: number }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureBootstrapOpsKey();
  }

  /** Creates a key; `merchantId` is required for a merchant key and must be null for ops. */
  async create(role: Role, merchantId: string | null): Promise<CreatedApiKey> {
    const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
    const prefix = key.slice(0, 12);
    const rows: { id: string; created_at: Date }[] = await this.dataSource.query(
      `INSERT INTO api_keys (key_hash, prefix, role, merchant_id, created_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
      [hashApiKey(key), prefix, role, merchantId, this.clock.now()],
    );
    return {
      id: rows[0].id,
      key,
      prefix,
      role,
      merchantId,
      createdAt: rows[0].created_at.toISOString(),
    };
  }

  /** The caller behind a bearer key, or null when it is unknown or revoked. */
  async authenticate(key: string): Promise<Principal | null> {
    if (key.length === 0 || key.length > MAX_KEY_LENGTH) return null;
    const hash = hashApiKey(key);
    const cacheKey = hash.toString('hex');
    const now = performance.now();
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > now) return cached.principal;

    const rows: ApiKeyRow[] = await this.dataSource.query(
      `SELECT id, role, merchant_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    if (rows.length === 0) {
      this.cache.delete(cacheKey);
      return null;
    }
    const row = rows[0];
    const principal: Principal =
      row.role === 'merchant' && row.merchant_id
        ? { kind: 'merchant', apiKeyId: row.id, merchantId: row.merchant_id }
        : { kind: 'ops', apiKeyId: row.id };
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(cacheKey, { principal, until: now + CACHE_TTL_MS });
    return principal;
  }

  /**
   * Makes sure `REDRESS_BOOTSTRAP_OPS_KEY` exists as an ops key. The unique index on `key_hash`
   * makes it idempotent across restarts and safe when several instances boot at once.
   */
  async ensureBootstrapOpsKey(): Promise<void> {
    const key = this.config.bootstrapOpsKey;
    if (!key) return;
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO api_keys (key_hash, prefix, role, merchant_id, created_at)
       VALUES ($1, $2, 'ops', NULL, $3) ON CONFLICT (key_hash) DO NOTHING RETURNING id`,
      [hashApiKey(key), key.slice(0, 12), this.clock.now()],
    );
    if (inserted.length > 0) this.logger.log('Created the bootstrap ops API key');
  }
}
