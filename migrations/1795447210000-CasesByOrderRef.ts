import { MigrationInterface, QueryRunner } from 'typeorm';

/** `GET /v1/cases?orderRef=` (the consoles' search by order): the cases of one order, newest first. */
export class CasesByOrderRef1795447210000 implements MigrationInterface {
  name = 'CasesByOrderRef1795447210000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX cases_order_ref ON cases ((order_snapshot->>'ref'), created_at DESC, id DESC)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX cases_order_ref`);
  }
}
