import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Key management and sealed secrets (hardening.md "Keys and secrets"): when a key was last used,
 * merchants' secrets in a table of their own (rotation, like suppliers'), suppliers' language,
 * newest-first lists of parties. Webhook secrets are now stored sealed (AES-256-GCM under
 * REDRESS_SECRET_KEY, which the database never sees): the columns are named to say so, and the app
 * seals any plain value left from before at its next boot (a migration cannot: it has no key).
 */
export class KeysAndSecrets1795446230000 implements MigrationInterface {
  name = 'KeysAndSecrets1795446230000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_keys ADD COLUMN last_used_at timestamptz`);
    await q.query(
      `CREATE INDEX api_keys_merchant ON api_keys (merchant_id, created_at DESC, id DESC)`,
    );
    // A merchant's secrets like a supplier's: two active for 24 h after a rotation.
    await q.query(`
      CREATE TABLE merchant_secrets (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        merchant_id uuid NOT NULL REFERENCES merchants(id),
        secret_sealed text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX merchant_secrets_merchant ON merchant_secrets (merchant_id, created_at DESC)`,
    );
    await q.query(`
      INSERT INTO merchant_secrets (merchant_id, secret_sealed, created_at)
      SELECT id, webhook_secret, created_at FROM merchants`);
    await q.query(`ALTER TABLE merchants DROP COLUMN webhook_secret`);
    await q.query(`ALTER TABLE supplier_secrets RENAME COLUMN secret TO secret_sealed`);
    await q.query(`ALTER TABLE suppliers ADD COLUMN language text`);
    await q.query(`CREATE INDEX merchants_created ON merchants (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX suppliers_created ON suppliers (created_at DESC, id DESC)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX suppliers_created`);
    await q.query(`DROP INDEX merchants_created`);
    await q.query(`ALTER TABLE suppliers DROP COLUMN language`);
    await q.query(`ALTER TABLE supplier_secrets RENAME COLUMN secret_sealed TO secret`);
    // Down cannot unseal (no key here): the newest sealed value goes back as it is.
    await q.query(`ALTER TABLE merchants ADD COLUMN webhook_secret text`);
    await q.query(`
      UPDATE merchants m SET webhook_secret = (
        SELECT k.secret_sealed FROM merchant_secrets k WHERE k.merchant_id = m.id
        ORDER BY k.created_at DESC, k.id DESC LIMIT 1)`);
    await q.query(`ALTER TABLE merchants ALTER COLUMN webhook_secret SET NOT NULL`);
    await q.query(`DROP TABLE merchant_secrets`);
    await q.query(`DROP INDEX api_keys_merchant`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN last_used_at`);
  }
}
