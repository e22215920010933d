import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeyService, type ApiKeyView, type CreatedApiKey } from '../common/auth/api-key.service';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { PartyCursor } from '../common/parties/party-cursor';
import { PARTY_COLUMNS, PartyRecords, PartyRow } from '../common/parties/party-records.service';
import { PartySecrets } from '../common/parties/party-secrets.service';
import { UpdatePartyDto } from '../common/parties/party.dto';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { CreateClosureDto, CreateSupplierDto } from './supplier.dto';

export interface Supplier {
  id: string;
  name: string;
  country: string;
  timezone: string | null;
  language: string | null;
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

interface ClosureRow {
  id: string;
  supplier_id: string;
  from_date: string;
  to_date: string;
  reason: string;
  created_at: Date;
}

// Dates as text: node-pg would turn a `date` into a local-midnight Date.
const CLOSURE_COLUMNS =
  'id, supplier_id, from_date::text AS from_date, to_date::text AS to_date, reason, created_at';

/**
 * Suppliers, their webhook secrets and their closures. A supplier has one active secret, two for
 * 24 h after a rotation (PartySecrets, stored sealed): both verify inbound webhooks, and outbound
 * notifications are signed with both. Closures are days out of its business days.
 */
@Injectable()
export class SupplierService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly parties: PartyRecords,
    private readonly secrets: PartySecrets,
    private readonly apiKeys: ApiKeyService,
  ) {}

  async create(input: CreateSupplierDto): Promise<Supplier & { webhookSecret: string }> {
    const { row, webhookSecret } = await this.parties.create('supplier', input, this.clock.now());
    return { ...toSupplier(row), webhookSecret };
  }

  /** The supplier, or null when there is none with this id (a non-UUID id included). */
  async findById(id: string): Promise<Supplier | null> {
    if (!isUuid(id)) return null;
    const rows: PartyRow[] = await this.dataSource.query(
      `SELECT ${PARTY_COLUMNS} FROM suppliers WHERE id = $1`,
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

  /** Changes the fields sent (PartyRecords.update has the rules). */
  async update(id: string, input: UpdatePartyDto): Promise<Supplier> {
    return toSupplier(await this.parties.update('supplier', id, input));
  }

  /** A newest-first page of suppliers. */
  async list(limit: number, after: PartyCursor | null) {
    const page = await this.parties.page('supplier', limit, after);
    return { items: page.rows.map(toSupplier), next: page.next };
  }

  /** A new supplier API key (its own cases only: collaboration.md), shown once. */
  async createApiKey(supplierId: string): Promise<CreatedApiKey> {
    await this.get(supplierId);
    return this.apiKeys.create('supplier', supplierId);
  }

  /** The supplier's keys, never the keys themselves. */
  async listApiKeys(supplierId: string): Promise<ApiKeyView[]> {
    await this.get(supplierId);
    return this.apiKeys.listForSupplier(supplierId);
  }

  /** Secrets valid at `now`, newest first: sign with the first, verify with any. */
  activeSecrets(supplierId: string, now: Date): Promise<string[]> {
    return this.secrets.active('supplier', supplierId, now);
  }

  /** A new secret, active at once; the previous ones stay valid 24 h more (PartySecrets). */
  rotateSecret(
    supplierId: string,
  ): Promise<{ webhookSecret: string; previousSecretExpiresAt: string }> {
    return this.secrets.rotate('supplier', supplierId, this.clock.now());
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

function toSupplier(row: PartyRow): Supplier {
  return {
    id: row.id,
    name: row.name,
    country: row.country.trim(),
    timezone: row.timezone,
    language: row.language,
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
