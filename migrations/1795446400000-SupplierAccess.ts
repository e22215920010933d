import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access without an integration (collaboration.md "Parties and access", evidence.md "The buyer's
 * link"): API keys bound to one supplier, and case links, a case's bearer links for its supplier
 * (`/s/<token>`) and its buyer (`/b/<token>`). A link's token is kept as its SHA-256 (the lookup)
 * and sealed with the app's SecretBox (so a notification can carry the live link later); never
 * in plain text. A link expires at `expires_at` or 7 days after its case closes (supplier links),
 * whichever comes first: the second is read from `cases.closed_at` when the link is used.
 */
export class SupplierAccess1795446400000 implements MigrationInterface {
  name = 'SupplierAccess1795446400000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN supplier_id uuid REFERENCES suppliers(id)`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_check`);
    await q.query(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
      CHECK (role IN ('ops', 'merchant', 'supplier'))`);
    await q.query(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_check
      CHECK ((role = 'merchant') = (merchant_id IS NOT NULL)
         AND (role = 'supplier') = (supplier_id IS NOT NULL))`);
    await q.query(
      `CREATE INDEX api_keys_supplier ON api_keys (supplier_id, created_at DESC, id DESC)
       WHERE supplier_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE case_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES cases(id),
        audience text NOT NULL CHECK (audience IN ('supplier', 'buyer')),
        token_hash bytea NOT NULL UNIQUE,
        token_sealed text NOT NULL,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        uploads integer NOT NULL DEFAULT 0
      )`);
    await q.query(
      `CREATE INDEX case_links_case ON case_links (case_id, audience, created_at DESC, id DESC)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_links`);
    await q.query(`DELETE FROM api_keys WHERE role = 'supplier'`);
    await q.query(`DROP INDEX api_keys_supplier`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_check`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check`);
    await q.query(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check
      CHECK (role IN ('ops', 'merchant'))`);
    await q.query(`ALTER TABLE api_keys ADD CONSTRAINT api_keys_check
      CHECK ((role = 'merchant') = (merchant_id IS NOT NULL))`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN supplier_id`);
  }
}
