import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merchants, suppliers, API keys, cases with their evidence, the append-only timeline, timers,
 * the notification outbox, inbound webhook receipts and idempotency keys.
 */
export class Cases1795446100000 implements MigrationInterface {
  name = 'Cases1795446100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE merchants (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        country char(2) NOT NULL,
        timezone text,
        language text,
        webhook_url text,
        webhook_secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE suppliers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        country char(2) NOT NULL,
        timezone text,
        webhook_url text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A supplier may have two active secrets while it rotates; the older one expires.
    await q.query(`
      CREATE TABLE supplier_secrets (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX supplier_secrets_supplier ON supplier_secrets (supplier_id, created_at DESC)`,
    );
    await q.query(`
      CREATE TABLE supplier_closures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        from_date date NOT NULL,
        to_date date NOT NULL,
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (to_date >= from_date)
      )`);
    await q.query(
      `CREATE INDEX supplier_closures_supplier ON supplier_closures (supplier_id, from_date)`,
    );
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_hash bytea NOT NULL UNIQUE,
        prefix text NOT NULL,
        role text NOT NULL CHECK (role IN ('ops', 'merchant')),
        merchant_id uuid REFERENCES merchants(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CHECK ((role = 'merchant') = (merchant_id IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        type text NOT NULL,
        phase text NOT NULL,
        machine_id text NOT NULL,
        workflow_version integer NOT NULL,
        snapshot jsonb NOT NULL,
        state text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        outcome text,
        order_snapshot jsonb NOT NULL,
        description text,
        buyer_language text,
        preferred_resolution text,
        breached boolean NOT NULL DEFAULT false,
        evidence_count integer NOT NULL DEFAULT 0,
        photo_video_count integer NOT NULL DEFAULT 0,
        version integer NOT NULL,
        last_hash text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz
      )`);
    // Newest first with a stable tie-break, per list filter.
    await q.query(`CREATE INDEX cases_created ON cases (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_merchant ON cases (merchant_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_supplier ON cases (supplier_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_status ON cases (status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_type ON cases (type, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX cases_breached ON cases (created_at DESC, id DESC) WHERE breached`);
    await q.query(`
      CREATE TABLE case_evidence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        kind text NOT NULL CHECK (kind IN ('photo', 'video', 'document', 'tracking')),
        url text NOT NULL,
        sha256 text,
        description text,
        added_by jsonb NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX case_evidence_case ON case_evidence (case_id, created_at)`);

    await q.query(`
      CREATE TABLE timeline_entries (
        id bigint GENERATED ALWAYS AS IDENTITY,
        case_id uuid NOT NULL REFERENCES cases(id),
        seq integer NOT NULL CHECK (seq >= 1),
        at timestamptz NOT NULL,
        type text NOT NULL,
        actor jsonb NOT NULL,
        from_state text,
        to_state text,
        payload jsonb NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (case_id, seq)
      )`);
    await q.query(`CREATE UNIQUE INDEX timeline_entries_id ON timeline_entries (id)`);
    await q.query(`CREATE INDEX timeline_entries_at ON timeline_entries (at, id)`);
    // The timeline can only grow: the database itself refuses to change or remove entries.
    await q.query(`
      CREATE FUNCTION timeline_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'timeline_entries is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER timeline_entries_no_update_delete BEFORE UPDATE OR DELETE ON timeline_entries
      FOR EACH ROW EXECUTE FUNCTION timeline_entries_append_only()`);
    await q.query(`
      CREATE TRIGGER timeline_entries_no_truncate BEFORE TRUNCATE ON timeline_entries
      FOR EACH STATEMENT EXECUTE FUNCTION timeline_entries_append_only()`);

    await q.query(`
      CREATE TABLE case_timers (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES cases(id),
        kind text NOT NULL,
        due_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        fired_at timestamptz,
        cancelled_at timestamptz,
        breached boolean NOT NULL DEFAULT false
      )`);
    await q.query(`CREATE INDEX case_timers_case ON case_timers (case_id, id)`);
    await q.query(
      `CREATE INDEX case_timers_due ON case_timers (due_at) WHERE fired_at IS NULL AND cancelled_at IS NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX case_timers_live ON case_timers (case_id, kind) WHERE fired_at IS NULL AND cancelled_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        party text NOT NULL CHECK (party IN ('merchant', 'supplier')),
        party_id uuid NOT NULL,
        type text NOT NULL,
        body jsonb NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'no_endpoint')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz
      )`);
    await q.query(`CREATE INDEX notifications_case ON notifications (case_id, created_at)`);
    await q.query(
      `CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'pending'`,
    );
    await q.query(`
      CREATE TABLE notification_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notifications(id),
        at timestamptz NOT NULL,
        status integer,
        error text,
        duration_ms integer NOT NULL
      )`);
    await q.query(
      `CREATE INDEX notification_attempts_notification ON notification_attempts (notification_id, id)`,
    );

    await q.query(`
      CREATE TABLE webhook_receipts (
        supplier_id uuid NOT NULL REFERENCES suppliers(id),
        webhook_id text NOT NULL,
        received_at timestamptz NOT NULL,
        case_id uuid,
        PRIMARY KEY (supplier_id, webhook_id)
      )`);
    await q.query(`CREATE INDEX webhook_receipts_received ON webhook_receipts (received_at)`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        api_key_id uuid NOT NULL REFERENCES api_keys(id),
        key text NOT NULL,
        request_hash text NOT NULL,
        status integer,
        body jsonb,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (api_key_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)`);

    await q.query(`
      CREATE TABLE case_feedback (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        resolved boolean NOT NULL,
        comment text,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX case_feedback_merchant ON case_feedback (merchant_id, created_at)`);
    await q.query(`CREATE INDEX case_feedback_case ON case_feedback (case_id, created_at DESC)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'case_feedback',
      'idempotency_keys',
      'webhook_receipts',
      'notification_attempts',
      'notifications',
      'case_timers',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP TRIGGER timeline_entries_no_truncate ON timeline_entries`);
    await q.query(`DROP TRIGGER timeline_entries_no_update_delete ON timeline_entries`);
    await q.query(`DROP TABLE timeline_entries`);
    await q.query(`DROP FUNCTION timeline_entries_append_only()`);
    for (const table of [
      'case_evidence',
      'cases',
      'api_keys',
      'supplier_closures',
      'supplier_secrets',
      'suppliers',
      'merchants',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
