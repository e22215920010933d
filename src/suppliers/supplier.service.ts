import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { checkWebhookUrl } from '../notifications/delivery/webhook-url-policy';
import { generateWebhookSecret } from '../webhooks/signature/webhook-signature';
import { CreateClosureDto, CreateSupplierDto } from './supplier.dto';

/** How long the previous secret keeps working after a rotation. */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

export interface Supplier {
  id: string;
  name: string;
  country: string;
  timezone: string | null;
  webhookUrl: string | null;
  createdAt: string;
}

export interface SupplierClosure {
  id: string;
  supplierId: string;
  from: string;
  to: string;
  reason: string;
  createdAt: string;
}

interface SupplierRow {
  id: string;
  name: string;
  country: string;
  timezone: string | null;
  webhook_url: string | null;
  created_at: Date;
}

interface ClosureRow {
  id: string;
  supplier_id: string;
  from_date: string;
  to_date: string;
  reason: string;
  created_at: Date;
}

const SUPPLIER_COLUMNS = 'id, name, country, timezone, webhook_url, created_at';
// Dates as text: node-pg would turn a `date` into a local-midnight Date.
const CLOSURE_COLUMNS =
  'id, supplier_id, from_date::text AS from_date, to_date::text AS to_date, reason, created_at';

/**
 * Suppliers, their webhook secrets and their closures. A supplier has one active secret, two for
 * 24 h after a rotation (`supplier_secrets.expires_at` on the old one): both verify inbound
 * webhooks, the newest signs outbound notifications. Closures are days out of its business days.
 */
@Injectable()
export class SupplierService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(input: CreateSupplierDto): Promise<Supplier & { webhookSecret: string }> {
    if (input.webhookUrl) {
      const check = await checkWebhookUrl(input.webhookUrl, {
        allowPrivate: this.config.allowPrivateWebhooks,
      });
      if (!check.ok) throw ApiError.validation([{ field: 'webhookUrl', problem: check.problem }]);
    }
    const now = this.clock.now();
    const webhookSecret = generateWebhookSecret();
    return this.dataSource.transaction(async (tx) => {
      const rows: SupplierRow[] = await tx.query(
        `INSERT INTO suppliers (name, country, timezone, webhook_url, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING ${SUPPLIER_COLUMNS}`,
        [input.name, input.country, input.timezone ?? null, input.webhookUrl ?? null, now],
      );
      await tx.query(
        `INSERT INTO supplier_secrets (supplier_id, secret, created_at) VALUES ($1, $2, $3)`,
        [rows[0].id, webhookSecret, now],
      );
      return { ...toSupplier(rows[0]), webhookSecret };
    });
  }

  /** The supplier, or null when there is none with this id (a non-UUID id included). */
  async findById(id: string): Promise<Supplier | null> {
    if (!isUuid(id)) return null;
    const rows: SupplierRow[] = await this.dataSource.query(
      `SELECT ${SUPPLIER_COLUMNS} FROM suppliers WHERE id = $1`,
      [id],
    );
    return rows.length ? toSupplier(rows[0]) : null;
  }

  /** The supplier; 404 `not_found` when there is none. */
  async get(id: string): Promise<Supplier> {
    const supplier = await this.findById(id);
    if (!supplier) throw ApiError.notFound('Supplier');
    return supplier;
  }

  /** Secrets valid at `now`, newest first: sign with the first, verify with any. */
  async activeSecrets(supplierId: string, now: Date): Promise<string[]> {
    if (!isUuid(supplierId)) return [];
    const rows: { secret: string }[] = await this.dataSource.query(
      `SELECT secret FROM supplier_secrets
       WHERE supplier_id = $1 AND (expires_at IS NULL OR expires_at > $2)
       ORDER BY created_at DESC, id DESC`,
      [supplierId, now],
    );
    return rows.map((row) => row.secret);
  }

  /**
   * A new secret, active at once; the secrets active until now stay valid 24 h more (never longer
   * than they already had). Rotations of one supplier are serialised by a row lock.
   */
  async rotateSecret(
    supplierId: string,
  ): Promise<{ webhookSecret: string; previousSecretExpiresAt: string }> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + SECRET_ROTATION_OVERLAP_MS);
    const webhookSecret = generateWebhookSecret();
    await this.dataSource.transaction(async (tx: EntityManager) => {
      const found: unknown[] = await tx.query(`SELECT id FROM suppliers WHERE id = $1 FOR UPDATE`, [
        supplierId,
      ]);
      if (found.length === 0) throw ApiError.notFound('Supplier');
      await tx.query(
        `UPDATE supplier_secrets SET expires_at = LEAST(COALESCE(expires_at, $2), $2)
         WHERE supplier_id = $1 AND (expires_at IS NULL OR expires_at > $3)`,
        [supplierId, expiresAt, now],
      );
      await tx.query(
        `INSERT INTO supplier_secrets (supplier_id, secret, created_at) VALUES ($1, $2, $3)`,
        [supplierId, webhookSecret, now],
      );
    });
    return { webhookSecret, previousSecretExpiresAt: expiresAt.toISOString() };
  }

  async addClosure(supplierId: string, input: CreateClosureDto): Promise<SupplierClosure> {
    await this.get(supplierId);
    const rows: ClosureRow[] = await this.dataSource.query(
      `INSERT INTO supplier_closures (supplier_id, from_date, to_date, reason, created_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${CLOSURE_COLUMNS}`,
      [supplierId, input.from, input.to, input.reason, this.clock.now()],
    );
    return toClosure(rows[0]);
  }

  async listClosures(supplierId: string): Promise<SupplierClosure[]> {
    await this.get(supplierId);
    const rows: ClosureRow[] = await this.dataSource.query(
      `SELECT ${CLOSURE_COLUMNS} FROM supplier_closures
       WHERE supplier_id = $1 ORDER BY from_date, created_at`,
      [supplierId],
    );
    return rows.map(toClosure);
  }

  /** The supplier's closed days as inclusive `YYYY-MM-DD` ranges, for the business calendar. */
  async closures(supplierId: string): Promise<{ from: string; to: string }[]> {
    if (!isUuid(supplierId)) return [];
    const rows: { from_date: string; to_date: string }[] = await this.dataSource.query(
      `SELECT from_date::text AS from_date, to_date::text AS to_date FROM supplier_closures
       WHERE supplier_id = $1 ORDER BY from_date`,
      [supplierId],
    );
    return rows.map((row) => ({ from: row.from_date, to: row.to_date }));
  }
}

function toSupplier(row: SupplierRow): Supplier {
  return {
    id: row.id,
    name: row.name,
    country: row.country.trim(),
    timezone: row.timezone,
    webhookUrl: row.webhook_url,
    createdAt: row.created_at.toISOString(),
  };
}

function toClosure(row: ClosureRow): SupplierClosure {
  return {
    id: row.id,
    supplierId: row.supplier_id,
    from: row.from_date,
    to: row.to_date,
    reason: row.reason,
    createdAt: row.created_at.toISOString(),
  };
}
