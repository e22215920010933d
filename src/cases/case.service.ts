import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { CaseCalendars, DueDateService } from '../deadlines/due-date.service';
import { Metrics } from '../metrics/metrics.service';
import { renderBuyerMessage } from '../notifications/content/buyer-message';
import { entryHash } from '../timeline/hash-chain';
import {
  applyEvent,
  BREACH_TIMER_KINDS,
  CaseType,
  Effect,
  machineId,
  openCase,
  OrderSnapshot,
  phaseOf,
  Resolution,
  TimerKind,
  validateOrderForType,
  workflowVersion,
  WorkflowRefusal,
  WorkflowStep,
} from '../workflows';
import { Actor, CaseRow } from './case.types';

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

/** What an accepted event left; read the full case with `get` when the caller wants it. */
export type EventResult =
  | { duplicate: false; caseId: string; state: string; version: number }
  | { duplicate: true; caseId: string };

interface NewEntry {
  type: string;
  actor: Actor;
  fromState: string | null;
  toState: string | null;
  payload: Record<string, unknown>;
}

/** A locked case with what applying effects needs of its parties. */
interface LockedCase extends CaseRow {
  m_country: string;
  m_timezone: string | null;
  m_language: string | null;
  m_webhook_url: string | null;
  s_country: string;
  s_timezone: string | null;
  s_webhook_url: string | null;
  next_due_at: Date | null;
  /** Set when this transaction scheduled a timer that is already due (fire it before commit). */
  timerDueNow?: boolean;
}

const SYSTEM: Actor = { kind: 'system', id: null };
/** Parameters $1..$12 of the case-row update; timeline entry values follow them. */
const CASE_UPDATE_PARAMS = 12;

/**
 * The one service that writes a case's state (STYLE.md, "One service applies events").
 *
 * In one transaction it locks the case row, restores the machine's snapshot, applies the event
 * with the pure workflow, refuses what the state does not accept, then writes the snapshot, the
 * version, the hash-chained timeline entries, and the effects' rows (timers, notifications), and
 * commits. Timers already due when they are set (a late_shipment opened days late) fire at once,
 * in the same transaction, in due order.
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

    const caseId = await this.dataSource.transaction(async (tx) => {
      const parties = await tx.query<{ merchant: number | null; supplier: number | null }[]>(
        `SELECT (SELECT 1 FROM merchants WHERE id = $1) AS merchant, (SELECT 1 FROM suppliers WHERE id = $2) AS supplier`,
        [command.merchantId, command.supplierId],
      );
      const problems = [];
      if (!parties[0].merchant) problems.push({ field: 'merchantId', problem: 'no such merchant' });
      if (!parties[0].supplier) problems.push({ field: 'supplierId', problem: 'no such supplier' });
      if (problems.length) throw ApiError.validation(problems);

      const inserted = await tx.query<{ id: string }[]>(
        `INSERT INTO cases (merchant_id, supplier_id, type, phase, machine_id, workflow_version, snapshot,
           state, status, outcome, order_snapshot, description, buyer_language, preferred_resolution,
           version, last_hash, created_at, updated_at, closed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15, $16, $16, NULL)
         RETURNING id`,
        [
          command.merchantId,
          command.supplierId,
          command.type,
          phaseOf(command.type, command.order),
          machineId(command.type),
          workflowVersion(command.type),
          JSON.stringify(step.snapshot),
          step.state,
          'open',
          null,
          JSON.stringify(command.order),
          command.description ?? null,
          command.buyerLanguage ?? null,
          command.preferredResolution ?? 'refund',
          '0'.repeat(64),
          now,
        ],
      );
      const id = inserted[0].id;
      const locked = await this.lock(tx, id, {});
      const payload: Record<string, unknown> = {
        caseType: command.type,
        merchantId: command.merchantId,
        supplierId: command.supplierId,
        orderRef: command.order.ref,
        preferredResolution: command.preferredResolution ?? 'refund',
      };
      if (step.reason) payload.reason = step.reason;
      await this.commitStep(
        tx,
        locked,
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
      if (locked.timerDueNow) await this.fireDueTimers(tx, id, now);
      return id;
    });
    return this.get(caseId, {});
  }

  /** Applies one event; refusals are typed ApiErrors and change nothing. */
  async apply(caseId: string, command: EventCommand): Promise<EventResult> {
    if (!isUuid(caseId)) throw ApiError.notFound('Case');
    let outcome;
    try {
      outcome = await this.dataSource.transaction(async (tx) => {
        let locked = await this.lock(tx, caseId, command.scope ?? {});
        if (command.webhook) {
          const fresh = await tx.query<unknown[]>(
            `INSERT INTO webhook_receipts (supplier_id, webhook_id, received_at, case_id)
           VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING webhook_id`,
            [command.webhook.supplierId, command.webhook.webhookId, this.clock.now(), caseId],
          );
          if (fresh.length === 0) return 'duplicate' as const;
        }
        const now = this.clock.now();
        // A deadline that passed before this event (the scheduler had not reached it yet) applies
        // first: an event never overtakes a timer that was due before it.
        if (locked.next_due_at && locked.next_due_at.getTime() <= now.getTime()) {
          await this.fireDueTimers(tx, caseId, now);
          locked = await this.lock(tx, caseId, {});
        }
        if (command.ifMatch !== undefined && command.ifMatch !== locked.version) {
          throw new ApiError(
            'version_conflict',
            `If-Match holds version ${command.ifMatch}; the case is at version ${locked.version}`,
            { currentVersion: locked.version },
          );
        }
        await this.applyLocked(
          tx,
          locked,
          command.type,
          command.payload ?? {},
          command.actor,
          now,
          now,
        );
        if (locked.timerDueNow) {
          await this.fireDueTimers(tx, caseId, now);
          locked = await this.lock(tx, caseId, {});
        }
        return { state: locked.state, version: locked.version };
      });
    } catch (error) {
      if (error instanceof ApiError) this.metrics.eventApplied(command.type, error.code);
      throw error;
    }
    if (outcome === 'duplicate') return { duplicate: true, caseId };
    this.metrics.eventApplied(command.type, 'applied');
    return { duplicate: false, caseId, ...outcome };
  }

  /**
   * Fires one timer if it is still live: the scheduler calls this in a transaction that already
   * holds the timer's and the case's row locks. Returns false for a timer already fired or cancelled.
   */
  async fireTimer(tx: EntityManager, timerId: string, now: Date): Promise<boolean> {
    const timers = await tx.query<{ id: string; case_id: string; kind: TimerKind; due_at: Date }[]>(
      `SELECT id, case_id, kind, due_at FROM case_timers
       WHERE id = $1 AND fired_at IS NULL AND cancelled_at IS NULL`,
      [timerId],
    );
    if (timers.length === 0) return false;
    const timer = timers[0];
    if (timer.due_at.getTime() > now.getTime()) return false;
    const locked = await this.lock(tx, timer.case_id, {});
    return this.fireLocked(tx, locked, timer, now);
  }

  async addEvidence(
    caseId: string,
    evidence: { kind: string; url: string; sha256?: string | null; description?: string | null },
    actor: Actor,
    scope: CaseScope,
  ): Promise<Record<string, unknown>> {
    if (!isUuid(caseId)) throw ApiError.notFound('Case');
    return this.dataSource.transaction(async (tx) => {
      const locked = await this.lock(tx, caseId, scope);
      if (locked.status === 'closed') {
        throw new ApiError('invalid_transition', 'The case is closed: it accepts no evidence', {
          state: locked.state,
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
      const photoOrVideo = evidence.kind === 'photo' || evidence.kind === 'video' ? 1 : 0;
      locked.evidence_count += 1;
      locked.photo_video_count += photoOrVideo;
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
      await this.writeEntries(
        tx,
        locked,
        [
          {
            type: 'EVIDENCE_ADDED',
            actor,
            fromState: locked.state,
            toState: locked.state,
            payload: {
              evidenceId: view.id,
              kind: view.kind,
              url: view.url,
              sha256: view.sha256,
              description: view.description,
            },
          },
        ],
        now,
        {},
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
      const locked = await this.lock(tx, caseId, scope);
      const now = this.clock.now();
      const rows = await tx.query<{ id: string }[]>(
        `INSERT INTO case_feedback (case_id, merchant_id, resolved, comment, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [caseId, locked.merchant_id, resolved, comment, now],
      );
      await this.writeEntries(
        tx,
        locked,
        [
          {
            type: 'FEEDBACK_RECORDED',
            actor,
            fromState: locked.state,
            toState: locked.state,
            payload: { resolved, comment },
          },
        ],
        now,
        {},
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
    return await this.dataSource.query<CaseRow[]>(
      `SELECT c.*,
         COALESCE((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'url', e.url, 'sha256', e.sha256,
             'description', e.description, 'added_by', e.added_by, 'created_at', e.created_at) ORDER BY e.created_at, e.id)
           FROM case_evidence e WHERE e.case_id = c.id), '[]') AS evidence,
         COALESCE((SELECT json_agg(json_build_object('kind', t.kind, 'due_at', t.due_at, 'fired_at', t.fired_at,
             'breached', t.breached) ORDER BY t.due_at, t.id)
           FROM case_timers t WHERE t.case_id = c.id AND t.cancelled_at IS NULL), '[]') AS deadlines
       FROM cases c WHERE ${where}
       ORDER BY c.created_at DESC, c.id DESC LIMIT ${Number(limit)}`,
      params,
    );
  }

  private async lock(tx: EntityManager, caseId: string, scope: CaseScope): Promise<LockedCase> {
    const rows = await tx.query<LockedCase[]>(
      `SELECT c.*, m.country AS m_country, m.timezone AS m_timezone, m.language AS m_language,
              m.webhook_url AS m_webhook_url, s.country AS s_country, s.timezone AS s_timezone,
              s.webhook_url AS s_webhook_url,
              (SELECT min(t.due_at) FROM case_timers t
               WHERE t.case_id = c.id AND t.fired_at IS NULL AND t.cancelled_at IS NULL) AS next_due_at
       FROM cases c JOIN merchants m ON m.id = c.merchant_id JOIN suppliers s ON s.id = c.supplier_id
       WHERE c.id = $1 FOR UPDATE OF c`,
      [caseId],
    );
    const row = rows[0];
    if (!row || !inScope(row, scope)) throw ApiError.notFound('Case');
    return row;
  }

  private async applyLocked(
    tx: EntityManager,
    locked: LockedCase,
    type: string,
    payload: Record<string, unknown>,
    actor: Actor,
    now: Date,
    base: Date,
  ): Promise<void> {
    const result = applyEvent(locked.type as CaseType, locked.snapshot, {
      type,
      payload,
      actor: actor.kind,
      at: base.toISOString(),
      evidence: { photoOrVideo: locked.photo_video_count, total: locked.evidence_count },
    });
    if (!result.ok) throw refusal(result, type, actor, locked);
    await this.commitStep(
      tx,
      locked,
      result,
      { type, actor, fromState: locked.state, toState: result.state, payload },
      now,
      base,
    );
  }

  private async fireLocked(
    tx: EntityManager,
    locked: LockedCase,
    timer: { id: string; kind: TimerKind; due_at: Date },
    now: Date,
  ): Promise<boolean> {
    // The timer is spent either way; a refusal means the machine no longer owns it (stale).
    const result = applyEvent(locked.type as CaseType, locked.snapshot, {
      type: 'TIMER_FIRED',
      payload: { kind: timer.kind },
      actor: 'system',
      at: timer.due_at.toISOString(),
      evidence: { photoOrVideo: locked.photo_video_count, total: locked.evidence_count },
    });
    if (!result.ok) {
      await tx.query(`UPDATE case_timers SET cancelled_at = $2 WHERE id = $1`, [timer.id, now]);
      return false;
    }
    const breach = BREACH_TIMER_KINDS.includes(timer.kind);
    await tx.query(`UPDATE case_timers SET fired_at = $2, breached = $3 WHERE id = $1`, [
      timer.id,
      now,
      breach,
    ]);
    this.metrics.timerFired(timer.kind, (now.getTime() - timer.due_at.getTime()) / 1000);
    // Deadlines that follow from a timer count from when it was due, so that a clock that jumps
    // (a restart, the test clock) still gives the schedule the rules describe.
    await this.commitStep(
      tx,
      locked,
      result,
      {
        type: 'TIMER_FIRED',
        actor: SYSTEM,
        fromState: locked.state,
        toState: result.state,
        payload: { kind: timer.kind, dueAt: timer.due_at.toISOString() },
      },
      now,
      timer.due_at,
    );
    return true;
  }

  /** Fires, in due order, every timer of the case that is due at `now`. */
  private async fireDueTimers(tx: EntityManager, caseId: string, now: Date): Promise<void> {
    for (let guard = 0; guard < 100; guard++) {
      const due = await tx.query<{ id: string; kind: TimerKind; due_at: Date }[]>(
        `SELECT id, kind, due_at FROM case_timers
         WHERE case_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $2
         ORDER BY due_at, id LIMIT 1`,
        [caseId, now],
      );
      if (due.length === 0) return;
      const locked = await this.lock(tx, caseId, {});
      await this.fireLocked(tx, locked, due[0], now);
    }
  }

  /** Writes the accepted step: timeline entries, case row, timers, notifications. */
  private async commitStep(
    tx: EntityManager,
    locked: LockedCase,
    step: WorkflowStep,
    entry: NewEntry,
    now: Date,
    base: Date,
  ): Promise<void> {
    const entries: NewEntry[] = [entry];
    const breaches = step.effects.filter(
      (e): e is Extract<Effect, { type: 'mark_breach' }> => e.type === 'mark_breach',
    );
    for (const breach of breaches) {
      entries.push({
        type: 'SLA_BREACHED',
        actor: SYSTEM,
        fromState: step.state,
        toState: step.state,
        payload: { kind: breach.kind },
      });
    }
    locked.snapshot = step.snapshot;
    locked.state = step.state;
    locked.status = step.status;
    locked.outcome = step.outcome;
    locked.phase = step.phase;
    if (breaches.length) locked.breached = true;
    await this.writeEntries(tx, locked, entries, now, { closing: step.status === 'closed' });
    await this.carryOut(tx, locked, step, now, base);
    if (entry.fromState !== step.state) {
      this.metrics.transition(locked.type, entry.fromState, step.state);
    }
    for (const breach of breaches) this.metrics.breach(breach.kind);
  }

  private async writeEntries(
    tx: EntityManager,
    locked: LockedCase,
    entries: NewEntry[],
    now: Date,
    opts: { closing?: boolean },
  ): Promise<void> {
    const at = now.toISOString();
    const tuples: string[] = [];
    const entryValues: unknown[] = [];
    for (const entry of entries) {
      const seq = locked.version + 1;
      const hash = entryHash({
        caseId: locked.id,
        seq,
        at,
        type: entry.type,
        actor: entry.actor,
        fromState: entry.fromState,
        toState: entry.toState,
        payload: entry.payload,
        prevHash: locked.last_hash,
      });
      const n = CASE_UPDATE_PARAMS + entryValues.length;
      tuples.push(`(${Array.from({ length: 10 }, (_, i) => `$${n + i + 1}`).join(', ')})`);
      entryValues.push(
        locked.id,
        seq,
        at,
        entry.type,
        JSON.stringify(entry.actor),
        entry.fromState,
        entry.toState,
        JSON.stringify(entry.payload),
        locked.last_hash,
        hash,
      );
      locked.version = seq;
      locked.last_hash = hash;
    }
    // One round trip for the entries and the case row: safe as one statement because the row is
    // already locked by the SELECT ... FOR UPDATE before it (STACK.md, the CTE lost-update trap).
    await tx.query(
      `WITH appended AS (
         INSERT INTO timeline_entries (case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash)
         VALUES ${tuples.join(', ')})
       UPDATE cases SET snapshot = $2, state = $3, status = $4, outcome = $5, phase = $6, breached = $7,
         version = $8, last_hash = $9, updated_at = $10, evidence_count = $11, photo_video_count = $12,
         closed_at = CASE WHEN $4 = 'closed' THEN COALESCE(closed_at, $10) ELSE NULL END
       WHERE id = $1`,
      [
        locked.id,
        JSON.stringify(locked.snapshot),
        locked.state,
        locked.status,
        locked.outcome,
        locked.phase,
        locked.breached,
        locked.version,
        locked.last_hash,
        now,
        locked.evidence_count,
        locked.photo_video_count,
        ...entryValues,
      ],
    );
    if (opts.closing) {
      await tx.query(
        `UPDATE case_timers SET cancelled_at = $2 WHERE case_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL`,
        [locked.id, now],
      );
    }
  }

  /** Carries out the machine's effects inside the event's transaction. */
  private async carryOut(
    tx: EntityManager,
    locked: LockedCase,
    step: WorkflowStep,
    now: Date,
    base: Date,
  ): Promise<void> {
    let calendars: CaseCalendars | null = null;
    for (const effect of step.effects) {
      switch (effect.type) {
        case 'cancel_timer':
          await tx.query(
            `UPDATE case_timers SET cancelled_at = $3
             WHERE case_id = $1 AND kind = $2 AND fired_at IS NULL AND cancelled_at IS NULL`,
            [locked.id, effect.kind, now],
          );
          break;
        case 'schedule_timer': {
          if (step.status === 'closed') break;
          calendars ??= await this.calendars(tx, locked);
          const dueAt = this.dueDates.resolve(effect.due, base, calendars);
          if (dueAt.getTime() <= now.getTime()) locked.timerDueNow = true;
          await tx.query(
            `INSERT INTO case_timers (case_id, kind, due_at, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (case_id, kind) WHERE fired_at IS NULL AND cancelled_at IS NULL
             DO UPDATE SET due_at = EXCLUDED.due_at, created_at = EXCLUDED.created_at`,
            [locked.id, effect.kind, dueAt, now],
          );
          break;
        }
        case 'notify':
          await this.recordNotification(tx, locked, effect, now);
          break;
        case 'mark_breach':
          break; // written with the timeline entries
      }
    }
  }

  private async recordNotification(
    tx: EntityManager,
    locked: LockedCase,
    effect: Extract<Effect, { type: 'notify' }>,
    now: Date,
  ): Promise<void> {
    const order = locked.order_snapshot as unknown as OrderSnapshot;
    const partyId = effect.party === 'merchant' ? locked.merchant_id : locked.supplier_id;
    const url = effect.party === 'merchant' ? locked.m_webhook_url : locked.s_webhook_url;
    const buyer = renderBuyerMessage(
      effect.notification,
      locked.buyer_language ?? locked.m_language,
      {
        orderRef: order.ref ?? '',
        trackingNumber: order.trackingNumber ?? '',
        outcome: locked.outcome ?? '',
      },
    );
    const body = {
      type: effect.notification,
      caseId: locked.id,
      caseType: locked.type,
      state: locked.state,
      status: locked.status,
      outcome: locked.outcome,
      version: locked.version,
      orderRef: order.ref ?? null,
      occurredAt: now.toISOString(),
      ...(buyer ? { buyerMessage: buyer } : {}),
    };
    await tx.query(
      `INSERT INTO notifications (case_id, party, party_id, type, body, state, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [
        locked.id,
        effect.party,
        partyId,
        effect.notification,
        JSON.stringify(body),
        url ? 'pending' : 'no_endpoint',
        now,
      ],
    );
  }

  private async calendars(tx: EntityManager, locked: LockedCase): Promise<CaseCalendars> {
    const closures = await tx.query<{ from: string; to: string }[]>(
      `SELECT to_char(from_date, 'YYYY-MM-DD') AS "from", to_char(to_date, 'YYYY-MM-DD') AS "to"
       FROM supplier_closures WHERE supplier_id = $1`,
      [locked.supplier_id],
    );
    return {
      supplier: { country: locked.s_country, timezone: locked.s_timezone, closures },
      merchant: { country: locked.m_country, timezone: locked.m_timezone },
    };
  }
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
