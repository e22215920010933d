import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lost parcels, payment disputes and the work queue (lost-and-disputed.md): a case's liability,
 * whom it waits on and its next deadline, kept by the step's own statement; the dispute's
 * platform case, the buyer-protection window and the linked case, given at opening.
 *
 * The work queue reads `next_deadline_at` through its own indexes (`dueBefore`, `sort=dueAt`,
 * keyset on (next_deadline_at, id), nulls last as a b-tree keeps them), per merchant as a
 * merchant key lists. Existing cases get the values their rows and timers already say: whom
 * each state waits on (the states that exist before this migration), and their earliest live
 * timer that can breach or warn.
 */
export class LostAndDisputed1795446900000 implements MigrationInterface {
  name = 'LostAndDisputed1795446900000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cases
      ADD COLUMN liability text NOT NULL DEFAULT 'undetermined'
        CHECK (liability IN ('supplier', 'carrier', 'merchant', 'buyer', 'undetermined')),
      ADD COLUMN waiting_on text CHECK (waiting_on IN ('merchant', 'supplier', 'ops')),
      ADD COLUMN next_deadline_at timestamptz,
      ADD COLUMN next_deadline_kind text,
      ADD COLUMN next_deadline_party text,
      ADD COLUMN external jsonb,
      ADD COLUMN platform_window jsonb,
      ADD COLUMN linked_case_id uuid REFERENCES cases (id)`);
    await q.query(`UPDATE cases SET waiting_on = CASE
        WHEN status = 'closed' THEN NULL
        WHEN state IN ('escalated') THEN 'ops'
        WHEN state IN ('awaiting_decision', 'supplier_replied', 'awaiting_clearance',
          'awaiting_evidence', 'verification_rejected') THEN 'merchant'
        ELSE 'supplier' END`);
    await q.query(`UPDATE cases c SET next_deadline_at = n.due_at, next_deadline_kind = n.kind,
        next_deadline_party = CASE n.kind WHEN 'customs_due' THEN 'merchant' WHEN 'ops_due' THEN 'ops'
          ELSE 'supplier' END
      FROM (SELECT DISTINCT ON (t.case_id) t.case_id, t.kind, t.due_at FROM case_timers t
            WHERE t.fired_at IS NULL AND t.cancelled_at IS NULL
              AND t.kind IN ('supplier_response', 'refund_due', 'resolution_due', 'customs_due',
                'verification_due', 'ops_due')
            ORDER BY t.case_id, t.due_at, t.id) n
      WHERE c.id = n.case_id AND c.status = 'open'`);
    await q.query(`CREATE INDEX cases_next_deadline ON cases (next_deadline_at, id)`);
    await q.query(
      `CREATE INDEX cases_merchant_next_deadline ON cases (merchant_id, next_deadline_at, id)`,
    );
    await q.query(
      `CREATE INDEX cases_linked ON cases (linked_case_id) WHERE linked_case_id IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_linked`);
    await q.query(`DROP INDEX cases_merchant_next_deadline`);
    await q.query(`DROP INDEX cases_next_deadline`);
    await q.query(`ALTER TABLE cases DROP COLUMN liability, DROP COLUMN waiting_on,
      DROP COLUMN next_deadline_at, DROP COLUMN next_deadline_kind, DROP COLUMN next_deadline_party,
      DROP COLUMN external, DROP COLUMN platform_window, DROP COLUMN linked_case_id`);
  }
}
