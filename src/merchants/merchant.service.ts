import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeyService, ApiKeyView, CreatedApiKey } from '../common/auth/api-key.service';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { PartyCursor } from '../common/parties/party-cursor';
import { PARTY_COLUMNS, PartyRecords, PartyRow } from '../common/parties/party-records.service';
import { PartySecrets } from '../common/parties/party-secrets.service';
import { UpdatePartyDto } from '../common/parties/party.dto';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { CreateMerchantDto } from './merchant.dto';

/** A merchant as the API shows it: never its secret, except once at creation or rotation. */
export interface MerchantView {
  id: string;
  name: string;
  country: string;
  timezone: string | null;
  language: string | null;
  webhookUrl: string | null;
  createdAt: string;
}

/**
 * Merchants: created by ops with their own `whsec_` secret (shown once, stored sealed, rotated
 * like a supplier's) for the notifications Redress sends them; merchant API keys are bound to one
 * merchant, and listed or revoked by ops or by that merchant.
 */
@Injectable()
export class MerchantService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly apiKeys: ApiKeyService,
    private readonly parties: PartyRecords,
    private readonly secrets: PartySecrets,
  ) {}

  async create(input: CreateMerchantDto): Promise<MerchantView & { webhookSecret: string }> {
    const { row, webhookSecret } = await this.parties.create('merchant', input, this.clock.now());
    return { ...toView(row), webhookSecret };
  }

  /** The API's view of a merchant; 404 `not_found` when there is none. */
  async view(id: string): Promise<MerchantView> {
    const rows: PartyRow[] = isUuid(id)
      ? await this.dataSource.query(`SELECT ${PARTY_COLUMNS} FROM merchants WHERE id = $1`, [id])
      : [];
    if (rows.length === 0) throw ApiError.notFound('Merchant');
    return toView(rows[0]);
  }

  /** Changes the fields sent (PartyRecords.update has the rules). */
  async update(id: string, input: UpdatePartyDto): Promise<MerchantView> {
    return toView(await this.parties.update('merchant', id, input));
  }

  /** A newest-first page of merchants. */
  async list(limit: number, after: PartyCursor | null) {
    const page = await this.parties.page('merchant', limit, after);
    return { items: page.rows.map(toView), next: page.next };
  }

  /** A new merchant API key, shown once. */
  async createApiKey(merchantId: string): Promise<CreatedApiKey> {
    await this.view(merchantId);
    return this.apiKeys.create('merchant', merchantId);
  }

  /** The merchant's keys, never the keys themselves. */
  async listApiKeys(merchantId: string): Promise<ApiKeyView[]> {
    await this.view(merchantId);
    return this.apiKeys.listForMerchant(merchantId);
  }

  /** A new webhook secret, shown once; the previous one stays valid 24 h. */
  rotateSecret(merchantId: string) {
    return this.secrets.rotate('merchant', merchantId, this.clock.now());
  }
}

function toView(row: PartyRow): MerchantView {
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
