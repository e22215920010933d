import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Money, exactly (money.md). Amounts are whole minor units (bigint) of the case's currency.
 * - `cases` gains its claim (`claim_items`, `claimed_minor`) and running totals, written by the
 *   step's own statement: supplier refunds, refunds to the buyer, write-offs.
 * - `case_ledger`: one row per money entry of a case (`seq` is its timeline entry's).
 * - `supplier_balances`: each supplier's running totals per merchant and currency, in a few
 *   shards per pair (a case's shard is fixed by its id) so that concurrent steps of one pair do
 *   not queue on one row; a balance is the sum of a handful of rows, whatever the case count.
 * A case's amounts fit a bigint (15 whole digits at most); balances sum many, as numeric.
 * Existing cases claim their whole order; their refunds are read back from their timelines.
 */
export class Money1795446700000 implements MigrationInterface {
  name = 'Money1795446700000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases
      ADD COLUMN currency text,
      ADD COLUMN claim_items jsonb,
      ADD COLUMN claimed_minor bigint NOT NULL DEFAULT 0,
      ADD COLUMN supplier_refunded_minor bigint NOT NULL DEFAULT 0,
      ADD COLUMN buyer_refunded_minor bigint NOT NULL DEFAULT 0,
      ADD COLUMN written_off_minor bigint NOT NULL DEFAULT 0`);
    await q.query(`UPDATE cases SET currency = order_snapshot->'total'->>'currency',
      claim_items = COALESCE((SELECT jsonb_agg(jsonb_build_object('sku', i->>'sku',
        'quantity', (i->>'quantity')::int)) FROM jsonb_array_elements(order_snapshot->'items') i), '[]')`);
    await q.query(`
      CREATE TABLE case_ledger (
        case_id uuid NOT NULL REFERENCES cases(id),
        seq integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('supplier_refund', 'buyer_refund', 'written_off')),
        amount_minor bigint NOT NULL CHECK (amount_minor > 0),
        currency text NOT NULL,
        reference text,
        at timestamptz NOT NULL,
        PRIMARY KEY (case_id, seq, kind)
      )`);
    const currencies = (await q.query(
      `SELECT DISTINCT currency FROM cases WHERE currency IS NOT NULL`,
    )) as { currency: string }[];
    for (const { currency } of currencies) {
      const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits!;
      const scale = `10::numeric ^ ${digits}`;
      await q.query(
        `UPDATE cases SET claimed_minor = round((order_snapshot->'total'->>'amount')::numeric * ${scale})
         WHERE currency = $1`,
        [currency],
      );
      await q.query(
        `INSERT INTO case_ledger (case_id, seq, kind, amount_minor, currency, reference, at)
         SELECT t.case_id, t.seq, 'supplier_refund', round((t.payload->>'amount')::numeric * ${scale}),
           $1, NULL, t.at
         FROM timeline_entries t JOIN cases c ON c.id = t.case_id
         WHERE c.currency = $1 AND t.type = 'REFUNDED' AND t.payload->>'amount' ~ '^[0-9]+(\\.[0-9]+)?$'
           AND round((t.payload->>'amount')::numeric * ${scale}) > 0`,
        [currency],
      );
    }
    await q.query(`UPDATE cases c SET supplier_refunded_minor = l.total
      FROM (SELECT case_id, sum(amount_minor) AS total FROM case_ledger GROUP BY case_id) l
      WHERE l.case_id = c.id`);
    await q.query(`ALTER TABLE cases ALTER COLUMN currency SET NOT NULL,
      ALTER COLUMN claim_items SET NOT NULL`);

    await q.query(`
      CREATE TABLE supplier_balances (
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        currency text NOT NULL,
        shard smallint NOT NULL,
        claimed_minor numeric NOT NULL DEFAULT 0,
        refunded_minor numeric NOT NULL DEFAULT 0,
        written_off_minor numeric NOT NULL DEFAULT 0,
        outstanding_minor numeric NOT NULL DEFAULT 0,
        overdue_minor numeric NOT NULL DEFAULT 0,
        open_cases integer NOT NULL DEFAULT 0,
        last_activity_at timestamptz NOT NULL,
        PRIMARY KEY (supplier_id, merchant_id, currency, shard)
      )`);
    await q.query(`CREATE INDEX supplier_balances_merchant ON supplier_balances (merchant_id)`);
    await q.query(`
      INSERT INTO supplier_balances (supplier_id, merchant_id, currency, shard, claimed_minor,
        refunded_minor, written_off_minor, outstanding_minor, overdue_minor, open_cases, last_activity_at)
      SELECT c.supplier_id, c.merchant_id, c.currency, 0, sum(c.claimed_minor),
        sum(c.supplier_refunded_minor), sum(c.written_off_minor),
        sum(CASE WHEN c.status = 'open' THEN o.owed ELSE 0 END),
        sum(CASE WHEN c.status = 'open' AND EXISTS (SELECT 1 FROM case_timers t WHERE t.case_id = c.id
          AND t.kind IN ('refund_due', 'resolution_due') AND t.breached) THEN o.owed ELSE 0 END),
        count(*) FILTER (WHERE c.status = 'open'), max(c.updated_at)
      FROM cases c, LATERAL (SELECT c.claimed_minor - c.supplier_refunded_minor - c.written_off_minor AS owed) o
      GROUP BY c.supplier_id, c.merchant_id, c.currency`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supplier_balances`);
    await q.query(`DROP TABLE case_ledger`);
    await q.query(`ALTER TABLE cases DROP COLUMN currency, DROP COLUMN claim_items,
      DROP COLUMN claimed_minor, DROP COLUMN supplier_refunded_minor,
      DROP COLUMN buyer_refunded_minor, DROP COLUMN written_off_minor`);
  }
}
