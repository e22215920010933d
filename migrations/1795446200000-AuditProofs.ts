import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the audit needs beyond the hash chain (hardening.md, "Bounded reads", "The audit, beyond
 * the chain"):
 * - `timeline_entries.xid`: the transaction that wrote the entry. The table is append-only, so
 *   "the entries visible in snapshot S" (`pg_visible_in_snapshot(xid, S)`) is the timeline as it
 *   was at S, forever: the export's cursor and the checkpoints rest on that. Its index finds the
 *   entries written since a snapshot; `(at, case_id, seq)` is the export's order. The old `id`
 *   keyset index goes: nothing reads by `id` any more, so each entry still costs three indexes.
 * - `timeline_verified`: the prefix of each chain a read has already verified (its last seq and
 *   hash), so a read checks only what was added since.
 * - `audit_checkpoints`: the signed case heads, append-only like the timeline.
 * - `test_clock`: the test clock's offset, so that it survives a restart.
 */
export class AuditProofs1795446200000 implements MigrationInterface {
  name = 'AuditProofs1795446200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE timeline_entries ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()`,
    );
    await q.query(`CREATE INDEX timeline_entries_xid ON timeline_entries (xid)`);
    await q.query(`DROP INDEX timeline_entries_at`);
    await q.query(`DROP INDEX timeline_entries_id`);
    await q.query(`CREATE INDEX timeline_entries_at ON timeline_entries (at, case_id, seq)`);

    await q.query(`
      CREATE TABLE timeline_verified (
        case_id uuid PRIMARY KEY REFERENCES cases(id),
        seq integer NOT NULL,
        hash text NOT NULL,
        verified_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE audit_checkpoints (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        root text NOT NULL,
        count integer NOT NULL,
        signature text NOT NULL,
        public_key text NOT NULL,
        snapshot pg_snapshot NOT NULL
      )`);
    await q.query(`CREATE INDEX audit_checkpoints_at ON audit_checkpoints (at)`);
    await q.query(`
      CREATE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_checkpoints is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
      FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only()`);

    await q.query(`
      CREATE TABLE test_clock (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        offset_ms bigint NOT NULL,
        set_to timestamptz NOT NULL
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE test_clock`);
    await q.query(`DROP TRIGGER audit_checkpoints_no_truncate ON audit_checkpoints`);
    await q.query(`DROP TRIGGER audit_checkpoints_no_update_delete ON audit_checkpoints`);
    await q.query(`DROP TABLE audit_checkpoints`);
    await q.query(`DROP FUNCTION audit_checkpoints_append_only()`);
    await q.query(`DROP TABLE timeline_verified`);
    await q.query(`DROP INDEX timeline_entries_at`);
    await q.query(`CREATE INDEX timeline_entries_at ON timeline_entries (at, id)`);
    await q.query(`CREATE UNIQUE INDEX timeline_entries_id ON timeline_entries (id)`);
    await q.query(`DROP INDEX timeline_entries_xid`);
    await q.query(`ALTER TABLE timeline_entries DROP COLUMN xid`);
  }
}
