import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Clock } from '../clock/clock.service';
import { ApiError } from '../errors/api-error';
import { API_KEY_REVOKED_CHANNEL, ApiKeyCache } from './api-key-cache';
import { ApiKeyUsage } from './api-key-usage';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { Principal, Role } from './principal';

export const API_KEY_PREFIX = 'rk_live_';
/** Longer bearer tokens are refused without hashing (ours are 51 characters). */
const MAX_KEY_LENGTH = 512;

/** A key as answered once at creation: `key` is never shown again. */
export interface CreatedApiKey {
  id: string;
  key: string;
  prefix: string;
  role: Role;
  merchantId: string | null;
  supplierId: string | null;
  createdAt: string;
}

/** A key as listed: never the key, only its display prefix. */
export interface ApiKeyView {
  id: string;
  role: Role;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface ApiKeyRow {
  id: string;
  role: Role;
  merchant_id: string | null;
  supplier_id: string | null;
}

interface ApiKeyListRow {
  id: string;
  role: Role;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

/** The caller a key's row stands for; null for a row the checks of the table should not allow. */
function toPrincipal(row: ApiKeyRow): Principal | null {
  switch (row.role) {
    case 'ops':
      return { kind: 'ops', apiKeyId: row.id };
    case 'merchant':
      return row.merchant_id
        ? { kind: 'merchant', apiKeyId: row.id, merchantId: row.merchant_id }
        : null;
    case 'supplier':
      return row.supplier_id
        ? { kind: 'supplier', apiKeyId: row.id, supplierId: row.supplier_id }
        : null;
  }
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/**
 * API keys: created with 256 random bits, shown once, stored only as SHA-256 (`api_keys.key_hash`)
 * with a 12-character display prefix. Authentication looks the hash up in the unique index: the
 * comparison is on the hash of the secret, not the secret, so its timing tells an attacker nothing
 * about a valid key (no timingSafeEqual needed). Known keys are cached per instance
 * ({@link ApiKeyCache}: revocations reach every instance by NOTIFY), so the hot path does not pay a
 * query per request; only hits are cached, so a new key works at once. A lookup that finds nothing
 * counts as a failed authentication of the client address ({@link FailedAuthLimiter}).
 */
@Injectable()
export class ApiKeyService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ApiKeyService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: ApiKeyCache,
    private readonly usage: ApiKeyUsage,
    private readonly failures: FailedAuthLimiter,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureBootstrapOpsKey();
  }

  /**
   * Creates a key; `ownerId` is the merchant of a merchant key, the supplier of a supplier key,
   * and null for ops.
   */
  async create(role: Role, ownerId: string | null): Promise<CreatedApiKey> {
    const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
    const prefix = key.slice(0, 12);
    const merchantId = role === 'merchant' ? ownerId : null;
    const supplierId = role === 'supplier' ? ownerId : null;
    const rows: { id: string; created_at: Date }[] = await this.dataSource.query(
      `INSERT INTO api_keys (key_hash, prefix, role, merchant_id, supplier_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, created_at`,
      [hashApiKey(key), prefix, role, merchantId, supplierId, this.clock.now()],
    );
    return {
      id: rows[0].id,
      key,
      prefix,
      role,
      merchantId,
      supplierId,
      createdAt: rows[0].created_at.toISOString(),
    };
  }

  /**
   * The caller behind a bearer key (null when it is missing, unknown or revoked), from the cache
   * when it is known there. 429 `rate_limited`, without a lookup, once `address` has failed 20
   * times in the last second.
   */
  async authenticate(key: string | null, address: string): Promise<Principal | null> {
    const hash = key && key.length <= MAX_KEY_LENGTH ? hashApiKey(key) : null;
    const cacheKey = hash?.toString('hex');
    let principal = cacheKey ? this.cache.get(cacheKey) : null;
    if (!principal) {
      const tracker = `ip:${address}`;
      this.failures.assertAllowed(tracker);
      principal = hash && cacheKey ? await this.lookup(hash, cacheKey) : null;
      if (!principal) {
        this.failures.recordFailure(tracker);
        return null;
      }
    }
    this.usage.used(principal.apiKeyId, this.clock.now());
    return principal;
  }

  private async lookup(hash: Buffer, cacheKey: string): Promise<Principal | null> {
    const generation = this.cache.generation;
    const rows: ApiKeyRow[] = await this.dataSource.query(
      `SELECT id, role, merchant_id, supplier_id FROM api_keys
       WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    if (rows.length === 0) return null;
    const principal = toPrincipal(rows[0]);
    if (!principal) return null;
    this.cache.set(cacheKey, principal, generation);
    return principal;
  }

  /** A merchant's keys, newest first, revoked ones included; never the keys themselves. */
  listForMerchant(merchantId: string): Promise<ApiKeyView[]> {
    return this.listFor('merchant_id', merchantId);
  }

  /** A supplier's keys, as {@link listForMerchant}. */
  listForSupplier(supplierId: string): Promise<ApiKeyView[]> {
    return this.listFor('supplier_id', supplierId);
  }

  private async listFor(
    owner: 'merchant_id' | 'supplier_id',
    ownerId: string,
  ): Promise<ApiKeyView[]> {
    await this.usage.flush();
    const rows: ApiKeyListRow[] = await this.dataSource.query(
      `SELECT id, role, prefix, created_at, last_used_at, revoked_at FROM api_keys
       WHERE ${owner} = $1 ORDER BY created_at DESC, id DESC`,
      [ownerId],
    );
    return rows.map((row) => ({
      id: row.id,
      role: row.role,
      prefix: row.prefix,
      createdAt: row.created_at.toISOString(),
      lastUsedAt: row.last_used_at?.toISOString() ?? null,
      revokedAt: row.revoked_at?.toISOString() ?? null,
    }));
  }

  /**
   * Revokes a key: ops any key, a merchant only its own (anyone else's answers 404, like a key
   * that does not exist). Revoking twice keeps the first time. The NOTIFY in the same statement
   * reaches every instance when it commits; this one forgets the key at once.
   */
  async revoke(apiKeyId: string, by: Principal): Promise<void> {
    // A merchant (or, should a route ever allow it, a supplier) revokes only its own keys.
    const merchantOnly = by.kind === 'merchant' ? by.merchantId : null;
    const supplierOnly = by.kind === 'supplier' ? by.supplierId : null;
    const rows: unknown[] = await this.dataSource.query(
      `WITH revoked AS (
         UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2)
         WHERE id = $1 AND ($3::uuid IS NULL OR merchant_id = $3::uuid)
           AND ($4::uuid IS NULL OR supplier_id = $4::uuid)
         RETURNING id)
       SELECT pg_notify('${API_KEY_REVOKED_CHANNEL}', id::text) FROM revoked`,
      [apiKeyId, this.clock.now(), merchantOnly, supplierOnly],
    );
    if (rows.length === 0) throw ApiError.notFound('API key');
    this.cache.forget(apiKeyId);
  }

  /**
   * Makes sure `REDRESS_BOOTSTRAP_OPS_KEY` exists as an ops key. The unique index on `key_hash`
   * makes it idempotent across restarts and safe when several instances boot at once. Its display
   * prefix is 6 characters: a chosen key has no public `rk_live_` part to spend them on.
   */
  async ensureBootstrapOpsKey(): Promise<void> {
    const key = this.config.bootstrapOpsKey;
    if (!key) return;
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO api_keys (key_hash, prefix, role, merchant_id, created_at)
       VALUES ($1, $2, 'ops', NULL, $3) ON CONFLICT (key_hash) DO NOTHING RETURNING id`,
      [hashApiKey(key), key.slice(0, 6), this.clock.now()],
    );
    if (inserted.length > 0) this.logger.log('Created the bootstrap ops API key');
  }
}
