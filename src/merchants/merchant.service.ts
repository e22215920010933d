import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiKeyService, CreatedApiKey } from '../common/auth/api-key.service';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { checkWebhookUrl } from '../notifications/delivery/webhook-url-policy';
import { generateWebhookSecret } from '../webhooks/signature/webhook-signature';
import { CreateMerchantDto } from './merchant.dto';

/** A merchant as the rest of Redress reads it (the secret signs its outbound notifications). */
export interface Merchant {
  id: string;
  name: string;
  country: string;
  timezone: string | null;
  language: string | null;
  webhookUrl: string | null;
  webhookSecret: string;
  createdAt: Date;
}

/** What the API shows: never the secret, except once at creation. */
export interface MerchantView {
  id: string;
  name: string;
  country: string;
  timezone: string | null;
  language: string | null;
  webhookUrl: string | null;
  createdAt: string;
}

interface MerchantRow {
  id: string;
  name: string;
  country: string;
  timezone: string | null;
  language: string | null;
  webhook_url: string | null;
  webhook_secret: string;
  created_at: Date;
}

const COLUMNS = 'id, name, country, timezone, language, webhook_url, webhook_secret, created_at';

/**
 * Merchants: created by ops with their own `whsec_` secret (shown once) for the notifications
 * Redress sends them; merchant API keys are bound to one merchant.
 */
@Injectable()
export class MerchantService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly apiKeys: ApiKeyService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(input: CreateMerchantDto): Promise<MerchantView & { webhookSecret: string }> {
    if (input.webhookUrl) {
      const check = await checkWebhookUrl(input.webhookUrl, {
        allowPrivate: this.config.allowPrivateWebhooks,
      });
      if (!check.ok) throw ApiError.validation([{ field: 'webhookUrl', problem: check.problem }]);
    }
    const rows: MerchantRow[] = await this.dataSource.query(
      `INSERT INTO merchants (name, country, timezone, language, webhook_url, webhook_secret, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        input.name,
        input.country,
        input.timezone ?? null,
        input.language ? Intl.getCanonicalLocales(input.language)[0] : null,
        input.webhookUrl ?? null,
        generateWebhookSecret(),
        this.clock.now(),
      ],
    );
    const merchant = toMerchant(rows[0]);
    return { ...toView(merchant), webhookSecret: merchant.webhookSecret };
  }

  /** The merchant, or null when there is none with this id (a non-UUID id included). */
  async findById(id: string): Promise<Merchant | null> {
    if (!isUuid(id)) return null;
    const rows: MerchantRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM merchants WHERE id = $1`,
      [id],
    );
    return rows.length ? toMerchant(rows[0]) : null;
  }

  /** The API's view of a merchant; 404 `not_found` when there is none. */
  async view(id: string): Promise<MerchantView> {
    const merchant = await this.findById(id);
    if (!merchant) throw ApiError.notFound('Merchant');
    return toView(merchant);
  }

  /** A new merchant API key, shown once. */
  async createApiKey(merchantId: string): Promise<CreatedApiKey> {
    if (!(await this.findById(merchantId))) throw ApiError.notFound('Merchant');
    return this.apiKeys.create('merchant', merchantId);
  }
}

function toMerchant(row: MerchantRow): Merchant {
  return {
    id: row.id,
    name: row.name,
    country: row.country.trim(),
    timezone: row.timezone,
    language: row.language,
    webhookUrl: row.webhook_url,
    webhookSecret: row.webhook_secret,
    createdAt: row.created_at,
  };
}

function toView(merchant: Merchant): MerchantView {
  return {
    id: merchant.id,
    name: merchant.name,
    country: merchant.country,
    timezone: merchant.timezone,
    language: merchant.language,
    webhookUrl: merchant.webhookUrl,
    createdAt: merchant.createdAt.toISOString(),
  };
}
