/**
 * The one SQL statement that writes an accepted step of a case: the case row, its new timeline
 * entries, and the effects' rows (timers cancelled, fired and scheduled; notifications).
 *
 * Every part hangs off the case row's write (`FROM written`, or `EXISTS (SELECT 1 FROM written)`
 * where the rows are found by the case id): when the row is not written, nothing is. An update is guarded by `version = expected`, so the statement is also the optimistic lock
 * of a caller that read the case without locking it: under READ COMMITTED, an update that waited
 * for a concurrent writer re-checks the version on the row that writer committed, matches nothing,
 * and the statement writes nothing at all (STACK.md, "a lock in one CTE and an update in
 * another"). {@link StepWriteResult.written} tells the caller which happened.
 *
 * Order inside the statement matters once: a timer that fires and re-arms itself (a customs
 * reminder) frees its live `(case_id, kind)` slot by `fired_at` before the new row takes it, so
 * the insert waits for the `fired` CTE (`WHERE (SELECT count(*) FROM fired) >= 0`).
 */
import type { NotificationValues } from '../notifications/content/case-notification';
import { moneyCtes, type MoneyWrite } from '../money/money-step';
import { receiptCte, type WebhookReceipt } from '../webhooks/webhook-receipts';

/** The case row's columns a step sets. */
export interface CaseRowValues {
  id: string;
  snapshot: unknown;
  state: string;
  status: string;
  outcome: string | null;
  phase: string;
  breached: boolean;
  version: number;
  lastHash: string;
  evidenceCount: number;
  photoVideoCount: number;
  messageCount: number;
  firstSupplierResponseAt: Date | string | null;
  liability: string;
  waitingOn: string | null;
  nextDeadlineAt: Date | string | null;
  nextDeadlineKind: string | null;
  nextDeadlineParty: string | null;
  /** The case's running money totals (money.md), minor units as text. */
  supplierRefunded: string;
  buyerRefunded: string;
  writtenOff: string;
}

/** The columns a new case is inserted with, besides {@link CaseRowValues}. */
export interface NewCaseValues {
  merchantId: string;
  supplierId: string;
  type: string;
  machineId: string;
  workflowVersion: number;
  order: unknown;
  description: string | null;
  buyerLanguage: string | null;
  preferredResolution: string;
  external: unknown;
  platformWindow: unknown;
  linkedCaseId: string | null;
  /** The claim (money.md): its currency, lines, and amount in minor units as text. */
  currency: string;
  claimItems: unknown;
  claimed: string;
}

export interface EntryValues {
  seq: number;
  type: string;
  actor: unknown;
  from_state: string | null;
  to_state: string | null;
  payload: unknown;
  prev_hash: string;
  hash: string;
}

export interface StepWrite {
  now: Date;
  row: CaseRowValues;
  /** The version the step was computed from; absent when the case is new (an insert). */
  expectedVersion?: number;
  /** The columns of a new case: the step inserts the case row instead of updating it. */
  insert?: NewCaseValues;
  entries: EntryValues[];
  /**
   * The live timers the step cancels, by id: the ones of the case as it was read. The version
   * guard makes sure they are still its live timers when the step is written.
   */
  cancelTimerIds: string[];
  /** The timer this step fires: marked fired (and breached) with the step. */
  fired: { id: string; breached: boolean } | null;
  /**
   * Live timers set (a live timer of the same kind is moved), with when their deadline warning
   * goes out (null: none, or sent with the step).
   */
  schedule: { kind: string; dueAt: Date; warnAt: Date | null }[];
  notifications: NotificationValues[];
  /**
   * An inbound webhook the step applies: its receipt is inserted with it (see
   * webhook-receipts.ts), so a redelivery that got this far writes nothing.
   */
  receipt?: WebhookReceipt;
  /** The step's ledger entries and balance change (money.md), when it moves money. */
  money?: MoneyWrite;
}

export interface StepWriteResult {
  written: boolean;
  /** Ids of the timers the step scheduled, by kind. */
  scheduled: Map<string, string>;
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

export function stepStatement(write: StepWrite): { sql: string; params: unknown[] } {
  const p = new Params();
  const { row } = write;
  const now = p.add(write.now, '::timestamptz');
  const caseId = p.add(row.id, '::uuid');
  const ctes: string[] = [];

  if (write.insert) {
    const c = write.insert;
    ctes.push(`written AS (
      INSERT INTO cases (id, merchant_id, supplier_id, type, phase, machine_id, workflow_version, snapshot,
        state, status, outcome, order_snapshot, description, buyer_language, preferred_resolution, breached,
        evidence_count, photo_video_count, message_count, first_supplier_response_at, version, last_hash,
        created_at, updated_at, closed_at, liability, waiting_on, next_deadline_at, next_deadline_kind,
        next_deadline_party, external, platform_window, linked_case_id,
        currency, claim_items, claimed_minor, supplier_refunded_minor,
        buyer_refunded_minor, written_off_minor)
      VALUES (${caseId}, ${p.add(c.merchantId)}, ${p.add(c.supplierId)}, ${p.add(c.type)},
        ${p.add(row.phase)}, ${p.add(c.machineId)}, ${p.add(c.workflowVersion)}, ${p.add(JSON.stringify(row.snapshot))},
        ${p.add(row.state)}, ${p.add(row.status)}, ${p.add(row.outcome)}, ${p.add(JSON.stringify(c.order))},
        ${p.add(c.description)}, ${p.add(c.buyerLanguage)}, ${p.add(c.preferredResolution)}, ${p.add(row.breached)},
        ${p.add(row.evidenceCount)}, ${p.add(row.photoVideoCount)}, ${p.add(row.messageCount)},
        ${p.add(row.firstSupplierResponseAt, '::timestamptz')}, ${p.add(row.version)}, ${p.add(row.lastHash)},
        ${now}, ${now}, ${row.status === 'closed' ? now : 'NULL'}, ${p.add(row.liability)},
        ${p.add(row.waitingOn)}, ${p.add(row.nextDeadlineAt, '::timestamptz')}, ${p.add(row.nextDeadlineKind)},
        ${p.add(row.nextDeadlineParty)}, ${p.add(c.external ? JSON.stringify(c.external) : null, '::jsonb')},
        ${p.add(c.platformWindow ? JSON.stringify(c.platformWindow) : null, '::jsonb')},
        ${p.add(c.linkedCaseId, '::uuid')},
        ${p.add(c.currency)},
        ${p.add(JSON.stringify(c.claimItems))}, ${p.add(c.claimed, '::bigint')},
        ${p.add(row.supplierRefunded, '::bigint')}, ${p.add(row.buyerRefunded, '::bigint')},
        ${p.add(row.writtenOff, '::bigint')})
      RETURNING id)`);
  } else {
    const status = p.add(row.status, '::text');
    ctes.push(`written AS (
      UPDATE cases SET snapshot = ${p.add(JSON.stringify(row.snapshot))}, state = ${p.add(row.state)},
        status = ${status}, outcome = ${p.add(row.outcome)}, phase = ${p.add(row.phase)},
        breached = ${p.add(row.breached)}, version = ${p.add(row.version)}, last_hash = ${p.add(row.lastHash)},
        updated_at = ${now}, evidence_count = ${p.add(row.evidenceCount)},
        photo_video_count = ${p.add(row.photoVideoCount)}, message_count = ${p.add(row.messageCount)},
        first_supplier_response_at = ${p.add(row.firstSupplierResponseAt, '::timestamptz')},
        liability = ${p.add(row.liability)}, waiting_on = ${p.add(row.waitingOn)},
        next_deadline_at = ${p.add(row.nextDeadlineAt, '::timestamptz')},
        next_deadline_kind = ${p.add(row.nextDeadlineKind)}, next_deadline_party = ${p.add(row.nextDeadlineParty)},
        supplier_refunded_minor = ${p.add(row.supplierRefunded, '::bigint')},
        buyer_refunded_minor = ${p.add(row.buyerRefunded, '::bigint')},
        written_off_minor = ${p.add(row.writtenOff, '::bigint')},
        closed_at = CASE WHEN ${status} = 'closed' THEN COALESCE(closed_at, ${now}) ELSE NULL END
      WHERE id = ${caseId} AND version = ${p.add(write.expectedVersion)}
      RETURNING id)`);
  }

  ctes.push(`appended AS (
    INSERT INTO timeline_entries (case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash)
    SELECT w.id, e.seq, ${now}, e.type, e.actor, e.from_state, e.to_state, e.payload, e.prev_hash, e.hash
    FROM written w, jsonb_to_recordset(${p.add(JSON.stringify(write.entries))}::jsonb) AS e(seq integer,
      type text, actor jsonb, from_state text, to_state text, payload jsonb, prev_hash text, hash text))`);

  const firedId = write.fired ? p.add(write.fired.id, '::bigint') : null;
  if (write.cancelTimerIds.length) {
    // By id and case id, and not by `fired_at IS NULL AND cancelled_at IS NULL`: that predicate is
    // the one of the partial index `case_timers_due` (every live timer), and a planner without
    // statistics (autovacuum off, or not yet run) picked it here and read every live timer of
    // every case for each closing step, its cost growing with the table (BENCHMARKS.md,
    // "Analysis"). Without it, only `case_timers_case (case_id, id)` or the key fit.
    // `COALESCE`: one cancelled meanwhile (a refused TIMER_FIRED, case locked) keeps its time.
    ctes.push(`cancelled AS (
      UPDATE case_timers t SET cancelled_at = COALESCE(t.cancelled_at, ${now})
      WHERE t.case_id = ${caseId} AND t.id = ANY(${p.add(write.cancelTimerIds, '::bigint[]')})
        AND t.fired_at IS NULL AND EXISTS (SELECT 1 FROM written))`);
  }
  if (write.fired && firedId) {
    ctes.push(`fired AS (
      UPDATE case_timers t SET fired_at = ${now}, breached = ${p.add(write.fired.breached)}
      WHERE t.id = ${firedId} AND t.case_id = ${caseId} AND EXISTS (SELECT 1 FROM written)
      RETURNING t.id)`);
  }
  if (write.schedule.length) {
    ctes.push(`scheduled AS (
      INSERT INTO case_timers (case_id, kind, due_at, warn_at, created_at)
      SELECT w.id, x.kind, x.due_at, x.warn_at, ${now}
      FROM written w, unnest(${p.add(
        write.schedule.map((s) => s.kind),
        '::text[]',
      )}, ${p.add(
        write.schedule.map((s) => s.dueAt),
        '::timestamptz[]',
      )}, ${p.add(
        write.schedule.map((s) => s.warnAt),
        '::timestamptz[]',
      )}) AS x(kind, due_at, warn_at)
      ${write.fired ? 'WHERE (SELECT count(*) FROM fired) >= 0' : ''}
      ON CONFLICT (case_id, kind) WHERE fired_at IS NULL AND cancelled_at IS NULL
      DO UPDATE SET due_at = EXCLUDED.due_at, warn_at = EXCLUDED.warn_at, created_at = EXCLUDED.created_at
      RETURNING id, kind)`);
  }
  if (write.notifications.length) {
    ctes.push(`notified AS (
      INSERT INTO notifications (case_id, party, party_id, type, body, state, next_attempt_at, created_at)
      SELECT w.id, n.party, n.party_id, n.type, n.body, n.state, ${now}, ${now}
      FROM written w, jsonb_to_recordset(${p.add(JSON.stringify(write.notifications))}::jsonb)
        AS n(party text, party_id uuid, type text, body jsonb, state text))`);
  }
  if (write.money) ctes.push(...moneyCtes(write.money, (v, cast) => p.add(v, cast), now));
  if (write.receipt) {
    ctes.push(
      receiptCte(
        p.add(write.receipt.supplierId, '::uuid'),
        p.add(write.receipt.webhookId, '::text'),
        now,
      ),
    );
  }
  const scheduled = write.schedule.length
    ? `(SELECT json_agg(json_build_object('id', id::text, 'kind', kind)) FROM scheduled)`
    : 'NULL::json';
  return {
    sql: `WITH ${ctes.join(',\n')}\nSELECT (SELECT count(*) FROM written)::int AS written, ${scheduled} AS scheduled${
      write.expectedVersion === undefined
        ? ''
        : `, ${integrityGuard(caseId, p.add(write.expectedVersion, '::int'))}`
    }`,
    params: p.values,
  };
}

/** The text a step write fails with when the case's version is not its last seq. */
export const INTEGRITY_FAILURE = 'redress_integrity_error';

/**
 * A case whose version is not its timeline's last seq (entries removed or slipped in behind its
 * back) must not take a step: the statement fails, nothing of it is written, and the caller
 * answers 409 `integrity_error` (hardening.md). Checked in the statement itself (one probe of the
 * primary key, no round trip), and only when the row was written: then no other writer committed
 * to this case since the statement's snapshot, so its last seq there is the one that counts. The
 * cast of a text to int is how plain SQL raises.
 */
function integrityGuard(caseId: string, expected: string): string {
  // The failing cast takes a column, not a constant: PostgreSQL folds a constant cast at planning.
  return `(SELECT CASE WHEN x.last <> ${expected} THEN ('${INTEGRITY_FAILURE} ' || x.last)::int END
    FROM (SELECT COALESCE(max(seq), 0) AS last FROM timeline_entries WHERE case_id = ${caseId}) x
    WHERE EXISTS (SELECT 1 FROM written)) AS integrity`;
}

/** Reads the statement's one row. */
export function stepWriteResult(
  rows: { written: number; scheduled: { id: string; kind: string }[] | null }[],
): StepWriteResult {
  const row = rows[0];
  return {
    written: (row?.written ?? 0) > 0,
    scheduled: new Map((row?.scheduled ?? []).map((s) => [s.kind, s.id])),
  };
}
