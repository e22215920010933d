import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Working with suppliers (collaboration.md): the case's message count and the supplier's first
 * answer, kept by the step's own statement; when a deadline's warning goes out (null once sent,
 * or for a timer that cannot breach), found by a partial index as due timers are; notifications
 * to ops (a deadline warning before `ops_due`), which has no endpoint: its rows are its queue.
 */
export class Collaboration1795446300000 implements MigrationInterface {
  name = 'Collaboration1795446300000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases ADD COLUMN message_count integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE cases ADD COLUMN first_supplier_response_at timestamptz`);
    await q.query(`ALTER TABLE case_timers ADD COLUMN warn_at timestamptz`);
    await q.query(
      `CREATE INDEX case_timers_warn ON case_timers (warn_at) WHERE warn_at IS NOT NULL AND fired_at IS NULL AND cancelled_at IS NULL`,
    );
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_party_check`);
    await q.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_party_check CHECK (party IN ('merchant', 'supplier', 'ops'))`,
    );
    await q.query(`ALTER TABLE notifications ALTER COLUMN party_id DROP NOT NULL`);
    await q.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_party_id CHECK ((party = 'ops') = (party_id IS NULL))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE party = 'ops'`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_party_id`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN party_id SET NOT NULL`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_party_check`);
    await q.query(
      `ALTER TABLE notifications ADD CONSTRAINT notifications_party_check CHECK (party IN ('merchant', 'supplier'))`,
    );
    await q.query(`DROP INDEX case_timers_warn`);
    await q.query(`ALTER TABLE case_timers DROP COLUMN warn_at`);
    await q.query(`ALTER TABLE cases DROP COLUMN first_supplier_response_at`);
    await q.query(`ALTER TABLE cases DROP COLUMN message_count`);
  }
}
