import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders and tracking come in by themselves (intake.md): orders by their merchant's `ref`, their
 * parcels by tracking number, the tracking updates recorded on them, tracking updates kept 30
 * days for parcels not known yet, per-merchant integrations (sealed secrets) and settings, inbound
 * integration webhook receipts (dedupe), and the orders' own timers (a late shipment's check).
 * One open case per order and type is the database's rule: a partial unique index on the
 * order's ref as the case keeps it, so two concurrent openings cannot both win.
 */
export class Intake1795446800000 implements MigrationInterface {
  name = 'Intake1795446800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        ref text NOT NULL,
        supplier_id uuid REFERENCES suppliers(id),
        placed_at timestamptz NOT NULL,
        promised_ship_by date,
        shipped_at timestamptz,
        tracking_number text,
        origin_country char(2) NOT NULL,
        destination_country char(2) NOT NULL,
        items jsonb NOT NULL,
        total jsonb NOT NULL,
        source text NOT NULL,
        external_id text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (merchant_id, ref)
      )`);
    await q.query(`CREATE INDEX orders_merchant ON orders (merchant_id, created_at DESC, id DESC)`);
    // The shop's own order id (Shopify's fulfillments name the order by it).
    await q.query(
      `CREATE INDEX orders_external ON orders (merchant_id, external_id) WHERE external_id IS NOT NULL`,
    );
    // A parcel belongs to one order of its merchant; the tracking number is how updates find it.
    await q.query(`
      CREATE TABLE order_shipments (
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        tracking_number text NOT NULL,
        order_id uuid NOT NULL REFERENCES orders(id),
        carrier text,
        shipped_at timestamptz,
        last_tag text,
        last_checkpoint_at timestamptz,
        customs_held_at timestamptz,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, tracking_number)
      )`);
    await q.query(`CREATE INDEX order_shipments_order ON order_shipments (order_id, created_at)`);
    await q.query(`
      CREATE TABLE order_tracking (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id),
        tracking_number text NOT NULL,
        at timestamptz NOT NULL,
        tag text NOT NULL,
        subtag text,
        message text,
        received_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX order_tracking_order ON order_tracking (order_id, at, id)`);
    // Updates for a tracking number no order has yet: replayed when a shipment names it.
    await q.query(`
      CREATE TABLE unmatched_tracking (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        tracking_number text NOT NULL,
        body jsonb NOT NULL,
        received_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX unmatched_tracking_number ON unmatched_tracking (merchant_id, tracking_number)`,
    );
    await q.query(`CREATE INDEX unmatched_tracking_expiry ON unmatched_tracking (expires_at)`);
    await q.query(`
      CREATE TABLE merchant_integrations (
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        sender text NOT NULL CHECK (sender IN ('shopify', 'aftership')),
        secret_sealed text NOT NULL,
        shop_domain text,
        supplier_id uuid REFERENCES suppliers(id),
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, sender)
      )`);
    await q.query(`
      CREATE TABLE merchant_settings (
        merchant_id uuid PRIMARY KEY REFERENCES merchants(id),
        auto_open jsonb NOT NULL,
        lost_after_days jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE integration_receipts (
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        sender text NOT NULL,
        delivery_id text NOT NULL,
        received_at timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, sender, delivery_id)
      )`);
    await q.query(
      `CREATE INDEX integration_receipts_received ON integration_receipts (received_at)`,
    );
    // An order's own deadlines (the late shipment check), claimed as case timers are.
    await q.query(`
      CREATE TABLE order_timers (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id),
        kind text NOT NULL CHECK (kind IN ('late_shipment')),
        due_at timestamptz NOT NULL,
        fired_at timestamptz,
        cancelled_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX order_timers_due ON order_timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX order_timers_live ON order_timers (order_id, kind) WHERE fired_at IS NULL AND cancelled_at IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX cases_one_open_per_order ON cases (merchant_id, (order_snapshot->>'ref'), type) WHERE status = 'open'`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_one_open_per_order`);
    for (const table of [
      'order_timers',
      'integration_receipts',
      'merchant_settings',
      'merchant_integrations',
      'unmatched_tracking',
      'order_tracking',
      'order_shipments',
      'orders',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
