import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The senders Redress takes webhooks from (intake.md). */
export type Sender = 'shopify' | 'aftership';

export interface IntegrationRow {
  secret_sealed: string;
  shop_domain: string | null;
  /** The supplier the shop's orders are given (Shopify's orders name none). */
  supplier_id: string | null;
}

export interface SettingsRow {
  auto_open: Record<string, boolean>;
  lost_after_days: { domestic: number; international: number };
}

/** An open case of an order, as tracking drives it. */
export interface OpenCaseRef {
  id: string;
  type: string;
}

/**
 * The SQL of integrations: sealed secrets, merchant settings, webhook receipts (dedupe) and the
 * open cases of an order.
 */
@Injectable()
export class IntegrationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async merchantExists(merchantId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM merchants WHERE id = $1`, [
      merchantId,
    ]);
    return rows.length > 0;
  }

  async supplierExists(supplierId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM suppliers WHERE id = $1`, [
      supplierId,
    ]);
    return rows.length > 0;
  }

  async merchantCountry(merchantId: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ country: string }[]>(
      `SELECT country FROM merchants WHERE id = $1`,
      [merchantId],
    );
    return rows[0]?.country.trim() ?? null;
  }

  async saveIntegration(
    merchantId: string,
    sender: Sender,
    sealed: string,
    shopDomain: string | null,
    supplierId: string | null,
    now: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO merchant_integrations (merchant_id, sender, secret_sealed, shop_domain, supplier_id, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (merchant_id, sender) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed,
         shop_domain = EXCLUDED.shop_domain, supplier_id = EXCLUDED.supplier_id, updated_at = EXCLUDED.updated_at`,
      [merchantId, sender, sealed, shopDomain, supplierId, now],
    );
  }

  async integration(merchantId: string, sender: Sender): Promise<IntegrationRow | undefined> {
    const rows = await this.dataSource.query<IntegrationRow[]>(
      `SELECT secret_sealed, shop_domain, supplier_id FROM merchant_integrations WHERE merchant_id = $1 AND sender = $2`,
      [merchantId, sender],
    );
    return rows[0];
  }

  async settings(merchantId: string): Promise<SettingsRow | undefined> {
    const rows = await this.dataSource.query<SettingsRow[]>(
      `SELECT auto_open, lost_after_days FROM merchant_settings WHERE merchant_id = $1`,
      [merchantId],
    );
    return rows[0];
  }

  async saveSettings(merchantId: string, settings: SettingsRow, now: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO merchant_settings (merchant_id, auto_open, lost_after_days, updated_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (merchant_id) DO UPDATE SET auto_open = EXCLUDED.auto_open,
         lost_after_days = EXCLUDED.lost_after_days, updated_at = EXCLUDED.updated_at`,
      [
        merchantId,
        JSON.stringify(settings.auto_open),
        JSON.stringify(settings.lost_after_days),
        now,
      ],
    );
  }

  /** Records a delivery's receipt: false when it was there already (a redelivery). */
  async hasReceipt(merchantId: string, sender: Sender, deliveryId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM integration_receipts WHERE merchant_id = $1 AND sender = $2 AND delivery_id = $3`,
      [merchantId, sender, deliveryId],
    );
    return rows.length > 0;
  }

  async claimReceipt(
    merchantId: string,
    sender: Sender,
    deliveryId: string,
    now: Date,
  ): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `INSERT INTO integration_receipts (merchant_id, sender, delivery_id, received_at)
       VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING delivery_id`,
      [merchantId, sender, deliveryId, now],
    );
    return rows.length > 0;
  }

  /** Forgets receipts received before `before`; answers how many. */
  async purgeReceipts(before: Date): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM integration_receipts WHERE received_at < $1`,
      [before],
    );
    return count;
  }

  /** The open cases of the merchant's order (served by `cases_one_open_per_order`). */
  async openCases(merchantId: string, orderRef: string): Promise<OpenCaseRef[]> {
    return this.dataSource.query<OpenCaseRef[]>(
      `SELECT id, type FROM cases
       WHERE merchant_id = $1 AND order_snapshot->>'ref' = $2 AND status = 'open'`,
      [merchantId, orderRef],
    );
  }
}
