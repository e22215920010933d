import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A recorded tracking update that must drive cases (`Delivered`, `Expired`, a customs
 * exception) is `pending_since` its receipt until its events are applied: an app that stops in
 * between leaves it pending, and the scheduler drives it again (nothing accepted is lost).
 */
export class TrackingRedrive1795447220000 implements MigrationInterface {
  name = 'TrackingRedrive1795447220000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE order_tracking ADD COLUMN pending_since timestamptz, ADD COLUMN customs boolean NOT NULL DEFAULT false`,
    );
    await q.query(
      `CREATE INDEX order_tracking_pending ON order_tracking (pending_since) WHERE pending_since IS NOT NULL`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX order_tracking_pending`);
    await q.query(`ALTER TABLE order_tracking DROP COLUMN pending_since, DROP COLUMN customs`);
  }
}
