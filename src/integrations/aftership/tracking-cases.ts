import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { CaseService } from '../../cases/case.service';
import { INTAKE_ACTOR } from '../../cases/system-opening';
import { Clock } from '../../common/clock/clock.service';
import { ApiError } from '../../common/errors/api-error';
import { DueWork } from '../../deadlines/due-work';
import { OrderRepository, type PendingTracking } from '../../orders/order.repository';
import { AutoOpenService } from '../intake/auto-open.service';
import { IntegrationsService } from '../integrations.service';
import type { TrackingUpdate } from './aftership-mapping';

/** A pending update older than this had its app stop before driving its cases. */
export const REDRIVE_AFTER_MS = 60_000;
const REDRIVE_BATCH = 50;

/** What each tracking update tells the open cases of its order, and which types take it. */
function eventOf(update: TrackingUpdate): { type: string; takers: string[] } | null {
  if (update.tag === 'Delivered')
    return { type: 'DELIVERED', takers: ['customs_delay', 'lost_parcel'] };
  if (update.tag === 'Expired') return { type: 'DECLARED_LOST', takers: ['lost_parcel'] };
  if (update.customs) return { type: 'CUSTOMS_HELD', takers: ['customs_delay'] };
  return null;
}

/** Whether a recorded update has cases to drive (or open): it is pending until it has. */
export const drivesCases = (update: TrackingUpdate): boolean => eventOf(update) !== null;

/** What driving an update did: the events sent (`TYPE:caseId`) and the case it opened. */
export interface Driven {
  events: string[];
  opened?: string;
}

/**
 * What a recorded tracking update does to cases (intake.md, "Tracking"): `Delivered` ->
 * `DELIVERED` to the order's open customs_delay and lost_parcel cases, a customs `Exception` ->
 * `CUSTOMS_HELD` (and, the parcel's first, the customs_delay opening), `Expired` ->
 * `DECLARED_LOST` (or the lost_parcel opening, declared lost at once), each as
 * `{kind: "system", id: "intake"}`. An update recorded but not driven (the app stopped in
 * between) is driven again by the scheduler's tick after {@link REDRIVE_AFTER_MS}.
 */
@Injectable()
export class TrackingCases implements OnModuleInit {
  private readonly logger = new Logger(TrackingCases.name);

  constructor(
    private readonly cases: CaseService,
    private readonly autoOpen: AutoOpenService,
    private readonly orderRows: OrderRepository,
    private readonly integrations: IntegrationsService,
    private readonly dueWork: DueWork,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.dueWork.register('tracking-redrive', (now) => this.redrive(now));
  }

  async drive(
    merchantId: string,
    ref: string,
    update: TrackingUpdate,
    { firstCustoms }: { firstCustoms: boolean },
  ): Promise<Driven> {
    const told = eventOf(update);
    if (!told) return { events: [] };
    const events: string[] = [];
    for (const open of await this.integrations.openCases(merchantId, ref)) {
      if (!told.takers.includes(open.type)) continue;
      const done = await this.send(open.id, merchantId, told.type, update);
      if (done) events.push(done);
    }
    const { trackingNumber } = update;
    if (firstCustoms) {
      const reason = `Parcel ${trackingNumber} held at customs: ${update.message ?? update.subtag ?? 'Exception'}`;
      const opened = await this.autoOpen.open(merchantId, ref, 'customs_delay', reason);
      if (opened.opened) return { events, opened: opened.caseId };
    }
    if (update.tag === 'Expired' && events.length === 0) {
      const reason = `Parcel ${trackingNumber} expired: the carrier stopped tracking it`;
      const opened = await this.autoOpen.open(merchantId, ref, 'lost_parcel', reason);
      if (!opened.opened) return { events };
      // The carrier gave up: the case opens declared lost, past the week it would wait for it.
      const declared = await this.send(opened.caseId, merchantId, 'DECLARED_LOST', update);
      return { events: declared ? [declared] : [], opened: opened.caseId };
    }
    return { events };
  }

  /** Drives the updates left pending by an app that stopped; answers how many. */
  async redrive(now: Date): Promise<number> {
    const claimed = await this.orderRows.claimPending(
      new Date(now.getTime() - REDRIVE_AFTER_MS),
      REDRIVE_BATCH,
    );
    for (const row of claimed) {
      try {
        // Its first customs exception or not, the opening answers case_exists if one is open.
        await this.drive(row.merchant_id, row.ref, updateOf(row), { firstCustoms: row.customs });
      } catch (error) {
        this.logger.error(`driving tracking update ${row.id} again failed: ${String(error)}`);
        await this.orderRows.unsettleTracking(row.id, this.clock.now());
      }
    }
    return claimed.length;
  }

  /** Sends one event to one case as `{kind: "system", id: "intake"}`; `TYPE:caseId` if taken. */
  private async send(
    caseId: string,
    merchantId: string,
    type: string,
    update: TrackingUpdate,
  ): Promise<string | null> {
    const payload: Record<string, unknown> =
      type === 'DECLARED_LOST'
        ? { reason: `The carrier stopped tracking parcel ${update.trackingNumber} (Expired)` }
        : { trackingNumber: update.trackingNumber };
    if (type === 'DELIVERED') payload.at = update.at.toISOString();
    else if (type === 'CUSTOMS_HELD' && update.message) payload.message = update.message;
    try {
      await this.cases.apply(caseId, { type, payload, actor: INTAKE_ACTOR, scope: { merchantId } });
      return `${type}:${caseId}`;
    } catch (error) {
      // A case of an older workflow version, or a state that does not take it: left as it is.
      if (!(error instanceof ApiError)) throw error;
      this.logger.debug(`${type} not taken by case ${caseId}: ${error.code}`);
      return null;
    }
  }
}

/** A pending row as the update it recorded. */
function updateOf(row: PendingTracking): TrackingUpdate {
  return {
    eventId: null,
    trackingNumber: row.tracking_number,
    slug: null,
    tag: row.tag,
    subtag: row.subtag,
    message: row.message,
    at: row.at,
    customs: row.customs,
  };
}
