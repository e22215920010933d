import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `Idempotency-Key` on the link routes too (`/v1/portal/<token>`, `/v1/buyer/<token>`: a buyer
 * on a phone retries): a key is scoped to its caller, an API key or a link (a uuid derived from
 * the link's token, never the token), so the column is the caller's, with no reference to
 * `api_keys`.
 */
export class LinkIdempotency1795447230000 implements MigrationInterface {
  name = 'LinkIdempotency1795447230000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_api_key_id_fkey`);
    await q.query(`ALTER TABLE idempotency_keys RENAME COLUMN api_key_id TO caller_id`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE idempotency_keys RENAME COLUMN caller_id TO api_key_id`);
    await q.query(
      `DELETE FROM idempotency_keys k WHERE NOT EXISTS (SELECT 1 FROM api_keys a WHERE a.id = k.api_key_id)`,
    );
    await q.query(
      `ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_api_key_id_fkey FOREIGN KEY (api_key_id) REFERENCES api_keys(id)`,
    );
  }
}
