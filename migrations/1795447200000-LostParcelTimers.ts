import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders get a second kind of timer (intake.md, "Cases that open by themselves"): `lost_parcel`,
 * due when a shipped parcel has had no tracking update for the merchant's `lostAfterDays`.
 */
export class LostParcelTimers1795447200000 implements MigrationInterface {
  name = 'LostParcelTimers1795447200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE order_timers DROP CONSTRAINT order_timers_kind_check`);
    await q.query(
      `ALTER TABLE order_timers ADD CONSTRAINT order_timers_kind_check CHECK (kind IN ('late_shipment', 'lost_parcel'))`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM order_timers WHERE kind = 'lost_parcel'`);
    await q.query(`ALTER TABLE order_timers DROP CONSTRAINT order_timers_kind_check`);
    await q.query(
      `ALTER TABLE order_timers ADD CONSTRAINT order_timers_kind_check CHECK (kind IN ('late_shipment'))`,
    );
  }
}
