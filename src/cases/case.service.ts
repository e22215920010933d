import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { prepared } from '../database/prepared';
import { CaseCalendars, DueDateService } from '../deadlines/due-date.service';
import { Metrics } from '../metrics/metrics.service';
import { renderBuyerMessage } from '../notifications/content/buyer-message';
import { entryHash } from '../timeline/hash-chain';
import {
  applyEvent,
  BREACH_TIMER_KINDS,
  CaseType,
  Effect,
  isClaimType,
  machineId,
  openCase,
  OrderSnapshot,
  phaseOf,
  readWorkflowContext,
  Resolution,
  TimerKind,
  validateOrderForType,
  workflowVersion,
  WorkflowRefusal,
  WorkflowStep,
} from '../workflows';
import { Actor, CaseRow, TimerRow } from './case.types';
import {
  EntryValues,
  NewCaseValues,
  NotificationValues,
  RECEIPT_CONSTRAINT,
  StepWrite,
  stepStatement,
  stepWriteResult,
} from './step-write';

/** Limits what a caller may see: a merchant key its merchant's cases, a supplier its own. */
export interface CaseScope {
  merchantId?: string;
  supplierId?: string;
}

export interface OpenCaseCommand {
  type: CaseType;
  merchantId: string;
  supplierId: string;
  order: OrderSnapshot;
  description?: string | null;
  buyerLanguage?: string | null;
  preferredResolution?: Resolution | null;
  /** Who opened it (a merchant, or ops on a merchant's behalf); on the timeline. */
  actor?: Actor;
}

export interface EventCommand {
  type: string;
  payload?: Record<string, unknown>;
  actor: Actor;
  scope?: CaseScope;
  ifMatch?: number;
  /** Inbound webhook: recorded in the event's transaction so a redelivery is recognised. */
  webhook?: { supplierId: string; webhookId: string };
}

/** What an accepted event left: `row` is the case as written, with evidence and deadlines. */
export type EventResult =
  | { duplicate: false; caseId: string; state: string; version: number; row: CaseRow }
  | { duplicate: true; caseId: string };

interface NewEntry {
  type: string;
  actor: Actor;
  fromState: string | null;
  toState: string | null;
  payload: Record<string, unknown>;
}

/** A timer as read with its case: live (`fired_at` null) or fired; cancelled ones are left out. */
interface LoadedTimer extends TimerRow {
  /** Null only between scheduling and the statement that writes it. */
  id: string | null;
  kind: TimerKind;
}

/**
 * A case as read for writing: the row, what its effects need of the merchant and supplier, and
 * its timers. Kept up to date in memory as steps are written, so it is also the answer.
 */
interface LoadedCase extends CaseRow, Parties {
  deadlines: LoadedTimer[];
}

/** What applying effects needs of a case's merchant and supplier. */
interface Parties {
  m_country: string;
  m_timezone: string | null;
  m_language: string | null;
  m_webhook_url: string | null;
  s_country: string;
  s_timezone: string | null;
  s_webhook_url: string | null;
  /** The supplier's closures, for its business days. */
  closures: { from: string; to: string }[];
}

/** A step computed in memory, ready to be written by one statement. */
interface PlannedStep {
  write: StepWrite;
  /** A timer it scheduled is already due: fire it before the transaction ends. */
  timerDueNow: boolean;
  /** The case's deadlines in memory: the timers it schedules get their ids once written. */
  deadlines: LoadedTimer[];
  /** Recorded once the step is written. */
  metrics: { caseType: string; from: string | null; to: string; breaches: TimerKind[] };
}

const SYSTEM: Actor = { kind: 'system', id: null };
/** A guard against a machine whose timers keep re-arming already due: never hit by the rules. */
const MAX_DUE_TIMERS_PER_TRANSACTION = 100;

const EVIDENCE_SQL = `COALESCE((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'url', e.url,
    'sha256', e.sha256, 'description', e.description, 'added_by', e.added_by, 'created_at', e.created_at)
    ORDER BY e.created_at, e.id) FROM case_evidence e WHERE e.case_id = c.id), '[]')`;
const DEADLINES_SQL = `COALESCE((SELECT json_agg(json_build_object('id', t.id::text, 'kind', t.kind,
    'due_at', t.due_at, 'fired_at', t.fired_at, 'breached', t.breached) ORDER BY t.due_at, t.id)
    FROM case_timers t WHERE t.case_id = c.id AND t.cancelled_at IS NULL), '[]')`;
/** {@link Parties} of merchant `m` and supplier `s`. */
const PARTIES_SQL = `m.country AS m_country, m.timezone AS m_timezone, m.language AS m_language,
    m.webhook_url AS m_webhook_url, s.country AS s_country, s.timezone AS s_timezone,
    s.webhook_url AS s_webhook_url,
    COALESCE((SELECT json_agg(json_build_object('from', to_char(sc.from_date, 'YYYY-MM-DD'),
      'to', to_char(sc.to_date, 'YYYY-MM-DD'))) FROM supplier_closures sc WHERE sc.supplier_id = s.id),
      '[]') AS closures`;

/**
 * Cases (`where` on alias `c`) as {@link LoadedCase}s, in one round trip. Never `FOR UPDATE`: a
 * locking read that waits returns the row as its holder committed it but the sub-selects (timers,
 * evidence) as they were before the wait, under READ COMMITTED. Lock first, then load.
 */
function loadSql(where: string, opts: { evidence: boolean }): string {
  return `SELECT c.*, ${PARTIES_SQL}, ${DEADLINES_SQL} AS deadlines
      ${opts.evidence ? `, ${EVIDENCE_SQL} AS evidence` : ''}
    FROM cases c JOIN merchants m ON m.id = c.merchant_id JOIN suppliers s ON s.id = c.supplier_id
    WHERE ${where}`;
}

/**
 * The one service that writes a case's state (STYLE.md, "One service applies events").
 *
 * An event is applied in memory with the pure workflow on the case as read, refused there if the
 * state does not accept it, and written by one statement ({@link stepStatement}): the snapshot,
 * the version, the hash-chained timeline entries and the effects' rows (timers, notifications).
 *
 * Two ways to the same write. The fast one reads the case without a lock and writes with
 * `version = expected`: two round trips, no transaction. When it cannot be used (a deadline is
 * already due, or a step sets a timer that is already due) or another writer got there first,
 * the event is applied again in a transaction that locks the case row (`SELECT ... FOR UPDATE`)
 * and fires the due timers around it, in due order. A timer fires through the same steps
 * ({@link fireClaimed}).
 */
@Injectable()
export class CaseService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly dueDates: DueDateService,
    private readonly metrics: Metrics,
  ) {}

  async open(command: OpenCaseCommand): Promise<CaseRow> {
    const unfit = validateOrderForType(command.type, command.order);
    if (unfit) throw new ApiError('unprocessable', unfit);
    const now = this.clock.now();
    const step = openCase({
      type: command.type,
      order: command.order,
      openedAt: now.toISOString(),
      preferredResolution: command.preferredResolution ?? null,
    });
    const loaded = await this.newCase(command, now);
    const preferredResolution = command.preferredResolution ?? 'refund';
    const payload: Record<string, unknown> = {
      caseType: command.type,
      merchantId: command.merchantId,
      supplierId: command.supplierId,
      orderRef: command.order.ref,
      preferredResolution,
    };
    if (step.reason) payload.reason = step.reason;
    const planned = this.plan(
      loaded,
      step,
      {
        type: 'CASE_OPENED',
        actor: command.actor ?? { kind: 'merchant', id: command.merchantId },
        fromState: null,
        toState: step.state,
        payload,
      },
      now,
      now,
    );
    planned.write.newCase = {
      merchantId: command.merchantId,
      supplierId: command.supplierId,
      type: command.type,
      machineId: machineId(command.type),
      workflowVersion: workflowVersion(command.type),
      order: command.order,
      description: command.description ?? null,
      buyerLanguage: command.buyerLanguage ?? null,
      preferredResolution,
    } satisfies NewCaseValues;
    delete planned.write.expectedVersion;
    if (!planned.timerDueNow) {
      await this.mustWrite(this.dataSource.manager, planned);
      return loaded;
    }
    // Opened after a deadline it sets (a late shipment reported days late): fire it before anyone
    // sees the case, in the same transaction.
    await this.dataSource.transaction(async (tx) => {
      await this.mustWrite(tx, planned);
      await this.fireDueTimers(tx, loaded, now);
    });
    return loaded;
  }

  /** Applies one event; refusals are typed ApiErrors and change nothing. */
  async apply(caseId: string, command: EventCommand): Promise<EventResult> {
    if (!isUuid(caseId)) throw ApiError.notFound('Case');
    let result: EventResult;
    try {
      const fast = await this.applyUnlocked(caseId, command);
      result = fast ?? (await this.applyLocked(caseId, command));
    } catch (error) {
      if (error instanceof ApiError) this.metrics.eventApplied(command.type, error.code);
      throw error;
    }
    if (!result.duplicate) this.metrics.eventApplied(command.type, 'applied');
    return result;
  }

  /**
   * Fires the due timers of the cases of the given timers, claimed (and their cases locked) by the
   * caller's transaction: every due timer of such a case, in due order (one may set another that
   * is already due), so the claimed ones among them. Answers how many fired. A timer its machine
   * no longer expects is cancelled (stale). Throws on a database error: the caller rolls back and
   * nothing of it was fired.
   */
  async fireClaimed(tx: EntityManager, timerIds: string[], now: Date): Promise<number> {
    if (timerIds.length === 0) return 0;
    const cases = await tx.query<LoadedCase[]>(
      prepared(
        // Already locked by the claim: this read waits for no one, so it sees them as they are.
        loadSql(`c.id IN (SELECT case_id FROM case_timers WHERE id = ANY($1::bigint[]))`, {
          evidence: false,
        }),
      ),
      [timerIds],
    );
    let fired = 0;
    for (const loaded of cases) fired += await this.fireDueTimers(tx, loaded, now);
    return fired;
  }

  async addEvidence(
    caseId: string,
    evidence: { kind: string; url: string; sha256?: string | null; description?: string | null },
    actor: Actor,
    scope: CaseScope,
  ): Promise<Record<string, unknown>> {
    if (!isUuid(caseId)) throw ApiError.notFound('Case');
    return this.dataSource.transaction(async (tx) => {
      const loaded = await this.lockRow(tx, caseId, scope);
      if (loaded.status === 'closed') {
        throw new ApiError('invalid_transition', 'The case is closed: it accepts no evidence', {
          state: loaded.state,
          allowedEvents: [],
        });
      }
      const now = this.clock.now();
      const rows = await tx.query<{ id: string }[]>(
        `INSERT INTO case_evidence (case_id, kind, url, sha256, description, added_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [
          caseId,
          evidence.kind,
          evidence.url,
          evidence.sha256 ?? null,
          evidence.description ?? null,
          JSON.stringify(actor),
          now,
        ],
      );
      const view = {
        id: rows[0].id,
        caseId,
        kind: evidence.kind,
        url: evidence.url,
        sha256: evidence.sha256 ?? null,
        description: evidence.description ?? null,
        addedBy: actor,
        createdAt: now.toISOString(),
      };
      loaded.evidence_count += 1;
      if (evidence.kind === 'photo' || evidence.kind === 'video') loaded.photo_video_count += 1;
      await this.mustWrite(
        tx,
        this.planEntryOnly(loaded, now, {
          type: 'EVIDENCE_ADDED',
          actor,
          fromState: loaded.state,
          toState: loaded.state,
          payload: {
            evidenceId: view.id,
            kind: view.kind,
            url: view.url,
            sha256: view.sha256,
            description: view.description,
          },
        }),
      );
      return view;
    });
  }

  /** Records the buyer's answer to "did this solve your problem?" (a timeline entry too). */
  async addFeedback(
    caseId: string,
    resolved: boolean,
    comment: string | null,
    actor: Actor,
    scope: CaseScope,
  ) {
    if (!isUuid(caseId)) throw ApiError.notFound('Case');
    return this.dataSource.transaction(async (tx) => {
      const loaded = await this.lockRow(tx, caseId, scope);
      const now = this.clock.now();
      const rows = await tx.query<{ id: string }[]>(
        `INSERT INTO case_feedback (case_id, merchant_id, resolved, comment, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [caseId, loaded.merchant_id, resolved, comment, now],
      );
      await this.mustWrite(
        tx,
        this.planEntryOnly(loaded, now, {
          type: 'FEEDBACK_RECORDED',
          actor,
          fromState: loaded.state,
          toState: loaded.state,
          payload: { resolved, comment },
        }),
      );
      return { id: rows[0].id, caseId, resolved, comment, createdAt: now.toISOString() };
    });
  }

  /** One case with its evidence and deadlines, or 404 outside the caller's scope. */
  async get(caseId: string, scope: CaseScope): Promise<CaseRow> {
    if (!isUuid(caseId)) throw ApiError.notFound('Case');
    const rows = await this.select(`c.id = $1`, [caseId], 1);
    const row = rows[0];
    if (!row || !inScope(row, scope)) throw ApiError.notFound('Case');
    return row;
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  async list(
    filter: {
      merchantId?: string;
      supplierId?: string;
      status?: string;
      type?: string;
      breached?: boolean;
      openedFrom?: Date;
      openedBefore?: Date;
    },
    limit: number,
    cursor: { createdAt: Date; id: string } | null,
  ): Promise<{ items: CaseRow[]; next: { createdAt: Date; id: string } | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.merchantId) add('c.merchant_id = ?', filter.merchantId);
    if (filter.supplierId) add('c.supplier_id = ?', filter.supplierId);
    if (filter.status) add('c.status = ?', filter.status);
    if (filter.type) add('c.type = ?', filter.type);
    if (filter.breached !== undefined) add('c.breached = ?', filter.breached);
    if (filter.openedFrom) add('c.created_at >= ?', filter.openedFrom);
    if (filter.openedBefore) add('c.created_at < ?', filter.openedBefore);
    if (cursor) {
      params.push(cursor.createdAt, cursor.id);
      where.push(`(c.created_at, c.id) < ($${params.length - 1}, $${params.length})`);
    }
    const rows = await this.select(where.join(' AND ') || 'true', params, limit + 1);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      next: rows.length > limit && last ? { createdAt: last.created_at, id: last.id } : null,
    };
  }

  private async select(where: string, params: unknown[], limit: number): Promise<CaseRow[]> {
    // One text per combination of filters (the limit is a parameter): a small set, prepared.
    return await this.dataSource.query<CaseRow[]>(
      prepared(`SELECT c.*, ${EVIDENCE_SQL} AS evidence, ${DEADLINES_SQL} AS deadlines
       FROM cases c WHERE ${where}
       ORDER BY c.created_at DESC, c.id DESC LIMIT $${params.length + 1}`),
      [...params, limit],
    );
  }

  /**
   * The fast way: read without a lock, write if nobody wrote since. Null: take the locked way. A
   * webhook's receipt is written by the same statement; a redelivery that raced this far fails it
   * on the receipt's key and is a duplicate.
   */
  private async applyUnlocked(caseId: string, command: EventCommand): Promise<EventResult | null> {
    const loaded = await this.load(this.dataSource.manager, caseId, command.scope ?? {}, {
      lock: false,
      evidence: true,
    });
    const now = this.clock.now();
    if (nextDue(loaded, now)) return null;
    if (command.ifMatch !== undefined) checkIfMatch(command.ifMatch, loaded.version);
    let planned: PlannedStep;
    try {
      planned = this.planEvent(loaded, command, now);
    } catch (error) {
      // A webhook redelivered after its first delivery moved the case on is refused here, but it
      // is a duplicate: the locked way looks at the receipt before the machine.
      if (command.webhook && error instanceof ApiError) return null;
      throw error;
    }
    if (planned.timerDueNow) return null;
    if (command.webhook) planned.write.receipt = command.webhook;
    let written: boolean;
    try {
      written = await this.write(this.dataSource.manager, planned);
    } catch (error) {
      if (isConstraintViolation(error, RECEIPT_CONSTRAINT)) return { duplicate: true, caseId };
      throw error;
    }
    if (!written) return null;
    return { duplicate: false, caseId, state: loaded.state, version: loaded.version, row: loaded };
  }

  /** The locked way: one transaction holding the case row from the read to the commit. */
  private async applyLocked(caseId: string, command: EventCommand): Promise<EventResult> {
    return this.dataSource.transaction(async (tx) => {
      const loaded = await this.load(tx, caseId, command.scope ?? {}, {
        lock: true,
        evidence: true,
      });
      if (command.webhook) {
        const fresh = await tx.query<unknown[]>(
          `INSERT INTO webhook_receipts (supplier_id, webhook_id, received_at, case_id)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING webhook_id`,
          [command.webhook.supplierId, command.webhook.webhookId, this.clock.now(), caseId],
        );
        if (fresh.length === 0) return { duplicate: true, caseId } as const;
      }
      const now = this.clock.now();
      // A deadline that passed before this event (the scheduler had not reached it yet) applies
      // first: an event never overtakes a timer that was due before it.
      await this.fireDueTimers(tx, loaded, now);
      if (command.ifMatch !== undefined) checkIfMatch(command.ifMatch, loaded.version);
      const planned = this.planEvent(loaded, command, now);
      await this.mustWrite(tx, planned);
      if (planned.timerDueNow) await this.fireDueTimers(tx, loaded, now);
      return {
        duplicate: false,
        caseId,
        state: loaded.state,
        version: loaded.version,
        row: loaded,
      } as const;
    });
  }

  /**
   * Reads a case; with `lock`, first locks its row (a statement of its own, see {@link loadSql}).
   * 404 when it does not exist or lies outside the scope.
   */
  private async load(
    manager: EntityManager,
    caseId: string,
    scope: CaseScope,
    opts: { lock: boolean; evidence: boolean },
  ): Promise<LoadedCase> {
    if (opts.lock) await this.lockRow(manager, caseId, scope);
    const rows = await manager.query<LoadedCase[]>(prepared(loadSql(`c.id = $1`, opts)), [caseId]);
    const row = rows[0];
    if (!row || !inScope(row, scope)) throw ApiError.notFound('Case');
    return row;
  }

  /** Locks a case's row (no sub-selects: see {@link loadSql}); 404 outside the scope. */
  private async lockRow(
    manager: EntityManager,
    caseId: string,
    scope: CaseScope,
  ): Promise<CaseRow> {
    const rows = await manager.query<CaseRow[]>(
      prepared(`SELECT * FROM cases WHERE id = $1 FOR UPDATE`),
      [caseId],
    );
    if (!rows[0] || !inScope(rows[0], scope)) throw ApiError.notFound('Case');
    return rows[0];
  }

  /** A new case's row in memory, with its parties; 400 when either does not exist. */
  private async newCase(command: OpenCaseCommand, now: Date): Promise<LoadedCase> {
    const parties = await this.dataSource.query<Parties[]>(
      prepared(`SELECT ${PARTIES_SQL} FROM merchants m, suppliers s WHERE m.id = $1 AND s.id = $2`),
      [command.merchantId, command.supplierId],
    );
    if (parties.length === 0) {
      const found = await this.dataSource.query<
        { merchant: number | null; supplier: number | null }[]
      >(
        `SELECT (SELECT 1 FROM merchants WHERE id = $1) AS merchant, (SELECT 1 FROM suppliers WHERE id = $2) AS supplier`,
        [command.merchantId, command.supplierId],
      );
      const problems = [];
      if (!found[0].merchant) problems.push({ field: 'merchantId', problem: 'no such merchant' });
      if (!found[0].supplier) problems.push({ field: 'supplierId', problem: 'no such supplier' });
      throw ApiError.validation(problems);
    }
    return {
      ...parties[0],
      id: randomUUID(),
      merchant_id: command.merchantId,
      supplier_id: command.supplierId,
      type: command.type,
      phase: phaseOf(command.type, command.order),
      machine_id: machineId(command.type),
      workflow_version: workflowVersion(command.type),
      snapshot: null,
      state: '',
      status: 'open',
      outcome: null,
      order_snapshot: command.order as unknown as Record<string, unknown>,
      description: command.description ?? null,
      buyer_language: command.buyerLanguage ?? null,
      preferred_resolution: command.preferredResolution ?? 'refund',
      breached: false,
      evidence_count: 0,
      photo_video_count: 0,
      version: 0,
      last_hash: '0'.repeat(64),
      created_at: now,
      updated_at: now,
      closed_at: null,
      evidence: [],
      deadlines: [],
    };
  }

  private planEvent(loaded: LoadedCase, command: EventCommand, now: Date): PlannedStep {
    const payload = command.payload ?? {};
    const result = applyEvent(loaded.type as CaseType, loaded.snapshot, {
      type: command.type,
      payload,
      actor: command.actor.kind,
      at: now.toISOString(),
      evidence: { photoOrVideo: loaded.photo_video_count, total: loaded.evidence_count },
    });
    if (!result.ok) throw refusal(result, command.type, command.actor, loaded);
    return this.plan(
      loaded,
      result,
      {
        type: command.type,
        actor: command.actor,
        fromState: loaded.state,
        toState: result.state,
        payload,
      },
      now,
      now,
    );
  }

  /**
   * Fires one live timer of a loaded (and locked) case. Returns false when its machine no longer
   * expects it: the timer is spent either way, a stale one cancelled.
   */
  private async fireLoaded(
    tx: EntityManager,
    loaded: LoadedCase,
    timer: LoadedTimer,
    now: Date,
  ): Promise<boolean> {
    const dueAt = new Date(timer.due_at);
    const result = applyEvent(loaded.type as CaseType, loaded.snapshot, {
      type: 'TIMER_FIRED',
      payload: { kind: timer.kind },
      actor: 'system',
      at: dueAt.toISOString(),
      evidence: { photoOrVideo: loaded.photo_video_count, total: loaded.evidence_count },
    });
    if (!result.ok) {
      await tx.query(
        // Not `cancelled_at IS NULL`: the partial index's predicate (see stepStatement's cancel).
        `UPDATE case_timers SET cancelled_at = COALESCE(cancelled_at, $2)
         WHERE id = $1 AND fired_at IS NULL`,
        [timer.id, now],
      );
      loaded.deadlines = loaded.deadlines.filter((t) => t !== timer);
      return false;
    }
    // Deadlines that follow from a timer count from when it was due, so that a clock that jumps
    // (a restart, the test clock) still gives the schedule the rules describe.
    const planned = this.plan(
      loaded,
      result,
      {
        type: 'TIMER_FIRED',
        actor: SYSTEM,
        fromState: loaded.state,
        toState: result.state,
        payload: { kind: timer.kind, dueAt: dueAt.toISOString() },
      },
      now,
      dueAt,
      timer,
    );
    await this.mustWrite(tx, planned);
    this.metrics.timerFired(timer.kind, (now.getTime() - dueAt.getTime()) / 1000);
    return true;
  }

  /** Fires, in due order, every timer of the locked case that is due at `now`; answers how many. */
  private async fireDueTimers(tx: EntityManager, loaded: LoadedCase, now: Date): Promise<number> {
    let fired = 0;
    for (let guard = 0; guard < MAX_DUE_TIMERS_PER_TRANSACTION; guard++) {
      const due = nextDue(loaded, now);
      if (!due) break;
      if (await this.fireLoaded(tx, loaded, due, now)) fired += 1;
    }
    return fired;
  }

  /**
   * Computes an accepted step: updates `loaded` in memory (state, version, hash chain, deadlines)
   * and returns the write for it. Nothing is written here.
   */
  private plan(
    loaded: LoadedCase,
    step: WorkflowStep,
    entry: NewEntry,
    now: Date,
    base: Date,
    fired?: LoadedTimer,
  ): PlannedStep {
    const expectedVersion = loaded.version;
    const breaches = step.effects
      .filter((e): e is Extract<Effect, { type: 'mark_breach' }> => e.type === 'mark_breach')
      .map((e) => e.kind);
    const entries: NewEntry[] = [entry];
    for (const kind of breaches) {
      entries.push({
        type: 'SLA_BREACHED',
        actor: SYSTEM,
        fromState: step.state,
        toState: step.state,
        payload: { kind },
      });
    }
    loaded.snapshot = step.snapshot;
    loaded.state = step.state;
    loaded.status = step.status;
    loaded.outcome = step.outcome;
    loaded.phase = step.phase;
    if (breaches.length) loaded.breached = true;
    const written = this.chain(loaded, entries, now);

    const closing = step.status === 'closed';
    if (fired) {
      fired.fired_at = now.toISOString();
      fired.breached = BREACH_TIMER_KINDS.includes(fired.kind);
    }
    // The net effect per timer kind, in the order the machine gave them.
    const timers = new Map<TimerKind, Date | 'cancel'>();
    const notifications: NotificationValues[] = [];
    let calendars: CaseCalendars | null = null;
    let resolution: Resolution | null | undefined; // read once for the step's notifications
    for (const effect of step.effects) {
      if (effect.type === 'cancel_timer') timers.set(effect.kind, 'cancel');
      if (effect.type === 'schedule_timer' && !closing) {
        calendars ??= {
          supplier: {
            country: loaded.s_country,
            timezone: loaded.s_timezone,
            closures: loaded.closures,
          },
          merchant: { country: loaded.m_country, timezone: loaded.m_timezone },
        };
        timers.set(effect.kind, this.dueDates.resolve(effect.due, base, calendars));
      }
      if (effect.type === 'notify') {
        resolution ??= owedResolution(loaded);
        notifications.push(this.notification(loaded, effect, entry.payload, resolution, now));
      }
    }
    const cancelKinds = [...timers].filter(([, v]) => v === 'cancel').map(([kind]) => kind);
    const schedule = [...timers]
      .filter((pair): pair is [TimerKind, Date] => pair[1] !== 'cancel')
      .map(([kind, dueAt]) => ({ kind, dueAt }));

    // The deadlines as they will read once written.
    const live = (t: LoadedTimer) => t.fired_at === null;
    const cancelled = (t: LoadedTimer) => live(t) && (closing || cancelKinds.includes(t.kind));
    const cancelTimerIds = loaded.deadlines.flatMap((t) =>
      cancelled(t) && t.id !== null ? [t.id] : [],
    );
    loaded.deadlines = loaded.deadlines.filter((t) => !cancelled(t));
    for (const { kind, dueAt } of schedule) {
      const existing = loaded.deadlines.find((t) => live(t) && t.kind === kind);
      if (existing) existing.due_at = dueAt.toISOString();
      else
        loaded.deadlines.push({
          id: null,
          kind,
          due_at: dueAt.toISOString(),
          fired_at: null,
          breached: false,
        });
    }
    loaded.deadlines.sort((a, b) => new Date(a.due_at).getTime() - new Date(b.due_at).getTime());

    return {
      write: {
        now,
        row: {
          id: loaded.id,
          snapshot: loaded.snapshot,
          state: loaded.state,
          status: loaded.status,
          outcome: loaded.outcome,
          phase: loaded.phase,
          breached: loaded.breached,
          version: loaded.version,
          lastHash: loaded.last_hash,
          evidenceCount: loaded.evidence_count,
          photoVideoCount: loaded.photo_video_count,
        },
        expectedVersion,
        entries: written,
        cancelTimerIds,
        fired: fired?.id ? { id: fired.id, breached: fired.breached } : null,
        schedule,
        notifications,
      },
      timerDueNow: schedule.some((s) => s.dueAt.getTime() <= now.getTime()),
      deadlines: loaded.deadlines,
      metrics: { caseType: loaded.type, from: entry.fromState, to: step.state, breaches },
    };
  }

  /** A step with a timeline entry and no change of state (evidence, feedback). */
  private planEntryOnly(row: CaseRow, now: Date, entry: NewEntry): PlannedStep {
    const expectedVersion = row.version;
    const entries = this.chain(row, [entry], now);
    return {
      write: {
        now,
        row: {
          id: row.id,
          snapshot: row.snapshot,
          state: row.state,
          status: row.status,
          outcome: row.outcome,
          phase: row.phase,
          breached: row.breached,
          version: row.version,
          lastHash: row.last_hash,
          evidenceCount: row.evidence_count,
          photoVideoCount: row.photo_video_count,
        },
        expectedVersion,
        entries,
        cancelTimerIds: [],
        fired: null,
        schedule: [],
        notifications: [],
      },
      timerDueNow: false,
      deadlines: [],
      metrics: { caseType: row.type, from: row.state, to: row.state, breaches: [] },
    };
  }

  /** Numbers and hashes the entries onto the case's chain; moves `version` and `last_hash`. */
  private chain(loaded: CaseRow, entries: NewEntry[], now: Date): EntryValues[] {
    const at = now.toISOString();
    loaded.updated_at = now;
    loaded.closed_at = loaded.status === 'closed' ? (loaded.closed_at ?? now) : null;
    return entries.map((entry) => {
      const seq = loaded.version + 1;
      const hash = entryHash({
        caseId: loaded.id,
        seq,
        at,
        type: entry.type,
        actor: entry.actor,
        fromState: entry.fromState,
        toState: entry.toState,
        payload: entry.payload,
        prevHash: loaded.last_hash,
      });
      const values: EntryValues = {
        seq,
        type: entry.type,
        actor: entry.actor,
        from_state: entry.fromState,
        to_state: entry.toState,
        payload: entry.payload,
        prev_hash: loaded.last_hash,
        hash,
      };
      loaded.version = seq;
      loaded.last_hash = hash;
      return values;
    });
  }

  /** Writes a planned step in one statement; false when the case moved on since it was read. */
  private async write(manager: EntityManager, planned: PlannedStep): Promise<boolean> {
    const { sql, params } = stepStatement(planned.write);
    // The statement's text depends on which effects the step has, not on their values: prepared.
    const result = stepWriteResult(await manager.query(prepared(sql), params));
    if (!result.written) return false;
    for (const timer of planned.deadlines) {
      if (timer.fired_at === null) timer.id = result.scheduled.get(timer.kind) ?? timer.id;
    }
    const { caseType, from, to, breaches } = planned.metrics;
    if (from !== to) this.metrics.transition(caseType, from, to);
    for (const kind of breaches) this.metrics.breach(kind);
    return true;
  }

  /** {@link write} under the case's lock (or a new case), where it cannot miss. */
  private async mustWrite(manager: EntityManager, planned: PlannedStep): Promise<void> {
    if (!(await this.write(manager, planned))) {
      const { row, expectedVersion } = planned.write;
      throw new Error(`case ${row.id}: locked write matched no row at version ${expectedVersion}`);
    }
  }

  /**
   * The notification an accepted event's `notify` effect records. The buyer's message names the
   * event's own tracking number (`RESHIPPED`, `FORCE_RESHIP`, `SHIPPED`: the new parcel, not the
   * order's first one) and reason (`VERIFICATION_REJECTED`) when it has them.
   */
  private notification(
    loaded: LoadedCase,
    effect: Extract<Effect, { type: 'notify' }>,
    payload: Record<string, unknown>,
    resolution: Resolution | null,
    now: Date,
  ): NotificationValues {
    const order = loaded.order_snapshot as unknown as OrderSnapshot;
    const partyId = effect.party === 'merchant' ? loaded.merchant_id : loaded.supplier_id;
    const url = effect.party === 'merchant' ? loaded.m_webhook_url : loaded.s_webhook_url;
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    const buyer = renderBuyerMessage(
      effect.notification,
      loaded.buyer_language ?? loaded.m_language,
      {
        orderRef: order.ref ?? '',
        trackingNumber: text(payload.trackingNumber) || (order.trackingNumber ?? ''),
        reason: text(payload.reason),
        outcome: loaded.outcome ?? '',
      },
    );
    return {
      party: effect.party,
      party_id: partyId,
      type: effect.notification,
      body: {
        type: effect.notification,
        caseId: loaded.id,
        caseType: loaded.type,
        state: loaded.state,
        status: loaded.status,
        outcome: loaded.outcome,
        version: loaded.version,
        orderRef: order.ref ?? null,
        ...(resolution ? { preferredResolution: resolution } : {}),
        occurredAt: now.toISOString(),
        ...(buyer ? { buyerMessage: buyer } : {}),
      },
      state: url ? 'pending' : 'no_endpoint',
    };
  }
}

/** A claim's resolution (reship or refund, as the case view shows it): what the supplier owes. */
function owedResolution(loaded: LoadedCase): Resolution | null {
  if (!isClaimType(loaded.type)) return null;
  const context = readWorkflowContext(loaded.type, loaded.snapshot);
  return context.chosenResolution ?? context.preferredResolution;
}

/** Whether `error` (TypeORM's QueryFailedError or pg's own) is a unique violation of `name`. */
function isConstraintViolation(error: unknown, name: string): boolean {
  const driver = (error as { driverError?: unknown }).driverError ?? error;
  const { code, constraint } = driver as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === name;
}

/** The earliest live timer of the case due at `now`, if any. */
function nextDue(loaded: LoadedCase, now: Date): LoadedTimer | undefined {
  let next: LoadedTimer | undefined;
  for (const t of loaded.deadlines) {
    if (t.fired_at !== null) continue;
    const due = new Date(t.due_at).getTime();
    if (due > now.getTime()) continue;
    if (!next || due < new Date(next.due_at).getTime()) next = t;
  }
  return next;
}

function checkIfMatch(ifMatch: number, version: number): void {
  if (ifMatch === version) return;
  throw new ApiError(
    'version_conflict',
    `If-Match holds version ${ifMatch}; the case is at version ${version}`,
    { currentVersion: version },
  );
}

/** A refusal of the pure workflow as the contract's error. */
function refusal(result: WorkflowRefusal, type: string, actor: Actor, locked: CaseRow): ApiError {
  const extra = { state: result.state, allowedEvents: result.allowedEvents };
  switch (result.error) {
    case 'forbidden':
      return new ApiError('forbidden', `A ${actor.kind} may not send ${type}`, extra);
    case 'evidence_required':
      return new ApiError('evidence_required', result.message, extra);
    case 'invalid_transition':
      return new ApiError(
        'invalid_transition',
        locked.status === 'closed'
          ? `The case is closed (${locked.outcome}): it accepts no ${type}`
          : `State ${result.state} does not accept ${type} now`,
        extra,
      );
  }
}

function inScope(row: CaseRow, scope: CaseScope): boolean {
  if (scope.merchantId && row.merchant_id !== scope.merchantId) return false;
  if (scope.supplierId && row.supplier_id !== scope.supplierId) return false;
  return true;
}
