import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { DueDateService } from '../deadlines/due-date.service';
import { Metrics } from '../metrics/metrics.service';
import {
  claimReceipt,
  isDuplicateReceipt,
  type WebhookReceipt,
} from '../webhooks/webhook-receipts';
import { openCase, validateOrderForType } from '../workflows';
import { CaseRepository } from './case.repository';
import { checkIfMatch, forbiddenError, refusalError } from './case-refusals';
import {
  nextDue,
  planEntry,
  planTimer,
  sameStateEntry,
  SYSTEM_ACTOR,
  withTimerIds,
  type DueResolver,
  type NewEntry,
  type PlannedStep,
  type StepClock,
} from './case-step';
import type {
  Actor,
  CaseRow,
  CaseScope,
  EventCommand,
  EventResult,
  Fact,
  LoadedCase,
  OpenCaseCommand,
  Parties,
  WebhookEventCommand,
  WebhookEventResult,
} from './case.types';
import { admitEvent, checkProof, type Admission } from './event-admission';
import {
  linkedEntry,
  newCaseRecord,
  openingInput,
  openingProblems,
  planOpening,
} from './case-opening';
import { caseExists, isSecondOpenCase } from './one-open-case';
import { withOpeningNotice } from './system-opening';
import { planMoneyEvent } from './money-events';
import { byBalanceRow } from '../money/money-step';
import type { StepWrite } from './step-write';

export type {
  CaseScope,
  EventCommand,
  EventResult,
  OpenCaseCommand,
  WebhookEventCommand,
  WebhookEventResult,
} from './case.types';

/** An event past its admission's 400s: admitted, or forbidden once the case is found. */
type Admitted = Exclude<Admission, { verdict: 'invalid' }>;

/** A guard against a machine whose timers keep re-arming already due: never hit by the rules. */
const MAX_DUE_TIMERS_PER_TRANSACTION = 100;

/**
 * The one service that writes a case's state (STYLE.md, "One service applies events"): it loads
 * (CaseRepository), plans with the pure functions of case-step.ts, writes the planned step in one
 * statement and answers. Every event comes in through {@link admitEvent}.
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
  private readonly resolveDue: DueResolver;

  constructor(
    private readonly repository: CaseRepository,
    private readonly clock: Clock,
    dueDates: DueDateService,
    private readonly metrics: Metrics,
  ) {
    this.resolveDue = (rule, from, calendars) => dueDates.resolve(rule, from, calendars);
  }

  /**
   * Opens a case; its deadlines already due (a late report) fire before anyone sees it. A payment
   * dispute naming a supplier case (`linkedCaseId`, the merchant's own) leaves a `LINKED` entry on
   * it in the same transaction. A second open case of one order and type is refused by the
   * database: 409 `case_exists`.
   */
  async open(command: OpenCaseCommand): Promise<LoadedCase> {
    const unfit = validateOrderForType(command.type, command.order);
    if (unfit) throw new ApiError('unprocessable', unfit);
    const problems = openingProblems(command);
    if (problems.length) throw ApiError.validation(problems);
    const now = this.clock.now();
    const parties = await this.partiesOf(command);
    const opened = openCase(openingInput(command, now, parties, this.resolveDue));
    const fresh = newCaseRecord(command, parties, randomUUID(), now);
    const planning = planOpening(fresh, opened, command, this.at(now));
    const planned = withOpeningNotice(planning, command.actor, command.reason);
    try {
      if (!planned.timerDueNow && !command.linkedCaseId)
        return await this.mustWrite(this.repository.manager, planned);
      return await this.repository.transaction(async (tx) => {
        const linked =
          command.linkedCaseId && (await this.repository.lockRow(tx, command.linkedCaseId));
        if (command.linkedCaseId && (!linked || linked.merchant_id !== command.merchantId))
          throw ApiError.validation([{ field: 'linkedCaseId', problem: 'is not a case of yours' }]);
        const written = await this.mustWrite(tx, planned);
        if (linked)
          await this.mustWriteEntry(tx, linked, linkedEntry(linked, written, command), now);
        return (await this.fireDueTimers(tx, written, now)).case;
      });
    } catch (error) {
      if (!isSecondOpenCase(error)) throw error;
      const { merchantId, type, order } = command;
      throw caseExists(
        await this.repository.openCaseOf(merchantId, order.ref, type),
        order.ref,
        type,
      );
    }
  }

  /** Applies one event from a client or the system; refusals are typed ApiErrors and change nothing. */
  async apply(caseId: string, command: EventCommand): Promise<EventResult> {
    const result = await this.applyOnce(caseId, command, null);
    if (result.duplicate)
      throw new Error('an event without a webhook receipt came back a duplicate');
    return result;
  }

  /**
   * Applies a supplier webhook's event once per webhook id: its receipt is written with the event
   * (webhook-receipts.ts), and a redelivery answers `duplicate` and changes nothing.
   */
  async applyWebhook(caseId: string, command: WebhookEventCommand): Promise<WebhookEventResult> {
    return this.applyOnce(caseId, command, command.webhook);
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
    let fired = 0;
    // In one order of their balance rows, so that two instances' drains never deadlock on them.
    for (const loaded of byBalanceRow(await this.repository.loadByTimers(tx, timerIds))) {
      fired += (await this.fireDueTimers(tx, loaded, now)).fired;
    }
    return fired;
  }

  /**
   * Writes one timeline entry that changes no state (evidence, feedback), under the case's lock:
   * `record` checks what it must on the locked row, writes its own rows in the same transaction
   * and answers the entry; the entry goes through the same version-guarded step statement as
   * every event. 404 outside the scope; anything `record` throws rolls everything back.
   */
  async appendFact<T>(
    caseId: string,
    scope: CaseScope,
    record: (tx: EntityManager, row: CaseRow, now: Date) => Promise<Fact<T>>,
  ): Promise<T> {
    return this.underLock(caseId, scope, async (tx, row) => {
      const now = this.clock.now();
      const fact = await record(tx, row, now);
      const counted: CaseRow = { ...row, ...fact.counts };
      const entry = sameStateEntry(counted, fact.type, fact.actor, fact.payload);
      await this.mustWriteEntry(tx, counted, entry, now);
      return fact.result;
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
    return this.appendFact(caseId, scope, async (tx, row, now) => {
      const id = await this.repository.insertFeedback(tx, row, { resolved, comment }, now);
      const result = { id, caseId, resolved, comment, createdAt: now.toISOString() };
      return { type: 'FEEDBACK_RECORDED', actor, payload: { resolved, comment }, result };
    });
  }

  /** One case with its evidence and deadlines, or 404 outside the caller's scope. */
  async get(caseId: string, scope: CaseScope): Promise<CaseRow> {
    if (!isUuid(caseId)) throw ApiError.notFound('Case');
    const row = await this.repository.find(caseId);
    if (!row || !inScope(row, scope)) throw ApiError.notFound('Case');
    return row;
  }

  /**
   * Admits, then applies by the fast way or else the locked one, counting the result. A 400 of the
   * admission (nothing to look up) and a path id that names no case are answered before any read
   * and are not counted: their event types are the client's free text.
   */
  private async applyOnce(
    caseId: string,
    command: EventCommand,
    receipt: WebhookReceipt | null,
  ): Promise<WebhookEventResult> {
    const admission = admitEvent(command.type, command.actor, command.payload);
    if (admission.verdict === 'invalid') throw ApiError.validation(admission.problems);
    if (!isUuid(caseId)) throw ApiError.notFound('Case');
    let result: WebhookEventResult;
    try {
      result =
        (await this.applyUnlocked(caseId, command, admission, receipt)) ??
        (await this.applyLocked(caseId, command, admission, receipt));
    } catch (error) {
      if (error instanceof ApiError) this.metrics.eventApplied(command.type, error.code);
      throw error;
    }
    if (!result.duplicate) this.metrics.eventApplied(command.type, 'applied');
    return result;
  }

  /**
   * The fast way: read without a lock, write if nobody wrote since. Null: take the locked way. A
   * webhook's receipt is written by the same statement; a redelivery that raced this far fails it
   * on the receipt's key and is a duplicate.
   */
  private async applyUnlocked(
    caseId: string,
    command: EventCommand,
    admission: Admitted,
    receipt: WebhookReceipt | null,
  ): Promise<WebhookEventResult | null> {
    const manager = this.repository.manager;
    const loaded = await this.loadInScope(manager, caseId, command.scope ?? {}, false);
    const now = this.clock.now();
    if (nextDue(loaded, now)) return null;
    checkIfMatch(command.ifMatch, loaded.version);
    let planned: PlannedStep;
    try {
      planned = this.plan(loaded, command, admission, now);
    } catch (error) {
      // A webhook redelivered after its first delivery moved the case on is refused here, but it
      // is a duplicate: the locked way looks at the receipt before the machine.
      if (receipt && error instanceof ApiError) return null;
      throw error;
    }
    if (planned.timerDueNow) return null;
    let written: LoadedCase | null;
    try {
      written = await this.write(manager, planned, receipt ? { ...planned.write, receipt } : null);
    } catch (error) {
      if (isDuplicateReceipt(error)) return { duplicate: true, caseId };
      throw error;
    }
    return written && accepted(written);
  }

  /** The locked way: one transaction holding the case row from the read to the commit. */
  private async applyLocked(
    caseId: string,
    command: EventCommand,
    admission: Admitted,
    receipt: WebhookReceipt | null,
  ): Promise<WebhookEventResult> {
    return this.repository.transaction(async (tx) => {
      let loaded = await this.loadInScope(tx, caseId, command.scope ?? {}, true);
      if (receipt && !(await claimReceipt(tx, receipt, caseId, this.clock.now()))) {
        return { duplicate: true, caseId } as const;
      }
      const now = this.clock.now();
      // A deadline that passed before this event (the scheduler had not reached it yet) applies
      // first: an event never overtakes a timer that was due before it.
      loaded = (await this.fireDueTimers(tx, loaded, now)).case;
      checkIfMatch(command.ifMatch, loaded.version);
      const planned = this.plan(loaded, command, admission, now);
      loaded = await this.mustWrite(tx, planned);
      if (planned.timerDueNow) loaded = (await this.fireDueTimers(tx, loaded, now)).case;
      return accepted(loaded);
    });
  }

  /** The event's step on the case as read; its role's 403 comes only now, after the 404. */
  private plan(loaded: LoadedCase, command: EventCommand, admission: Admitted, now: Date) {
    if (admission.verdict === 'forbidden')
      throw forbiddenError(admission.type, command.actor, loaded);
    const { type, payload, actor } = admission;
    checkProof(actor, payload, loaded);
    const result = planMoneyEvent(loaded, { type, payload, actor }, this.at(now));
    if (!result.ok) throw refusalError(result.refusal, type, actor, loaded);
    return result.planned;
  }

  /** Fires, in due order, every timer of the locked case that is due at `now`. */
  private async fireDueTimers(
    tx: EntityManager,
    loaded: LoadedCase,
    now: Date,
  ): Promise<{ case: LoadedCase; fired: number }> {
    let fired = 0;
    for (let guard = 0; guard < MAX_DUE_TIMERS_PER_TRANSACTION; guard++) {
      const due = nextDue(loaded, now);
      if (!due) break;
      // The scheduler's event goes through the same door as everyone's.
      const admitted = admitEvent('TIMER_FIRED', SYSTEM_ACTOR, { kind: due.kind });
      const planned = admitted.verdict === 'admitted' ? planTimer(loaded, due, this.at(now)) : null;
      if (!planned) {
        // Its machine no longer expects it: spent all the same, cancelled as stale.
        await this.repository.cancelTimer(tx, due.id, now);
        loaded = { ...loaded, deadlines: loaded.deadlines.filter((t) => t !== due) };
        continue;
      }
      loaded = await this.mustWrite(tx, planned);
      this.metrics.timerFired(due.kind, (now.getTime() - new Date(due.due_at).getTime()) / 1000);
      fired += 1;
    }
    return { case: loaded, fired };
  }

  /**
   * Writes a planned step (with `write` instead of its own, e.g. with a receipt); the case as
   * written, or null when the case moved on since it was read.
   */
  private async write(
    manager: EntityManager,
    planned: PlannedStep,
    write: StepWrite | null = null,
  ): Promise<LoadedCase | null> {
    const result = await this.repository.writeStep(manager, write ?? planned.write);
    if (!result.written) return null;
    const { caseType, from, to, breaches } = planned.metrics;
    if (from !== to) this.metrics.transition(caseType, from, to);
    for (const kind of breaches) this.metrics.breach(kind);
    return withTimerIds(planned.case, result.scheduled);
  }

  /** {@link write} under the case's lock (or a new case), where it cannot miss. */
  private async mustWrite(manager: EntityManager, planned: PlannedStep): Promise<LoadedCase> {
    const written = await this.write(manager, planned);
    if (!written) throw missed(planned.write);
    return written;
  }

  /** A timeline entry with no change of state, under the case's lock. */
  private async mustWriteEntry(
    tx: EntityManager,
    row: CaseRow,
    entry: NewEntry,
    now: Date,
  ): Promise<void> {
    const { write } = planEntry(row, entry, now);
    if (!(await this.repository.writeStep(tx, write)).written) throw missed(write);
  }

  /** Runs `work` in a transaction holding the case's row; 404 outside the scope. */
  private async underLock<T>(
    caseId: string,
    scope: CaseScope,
    work: (tx: EntityManager, row: CaseRow) => Promise<T>,
  ): Promise<T> {
    if (!isUuid(caseId)) throw ApiError.notFound('Case');
    return this.repository.transaction(async (tx) => {
      const row = await this.repository.lockRow(tx, caseId);
      if (!row || !inScope(row, scope)) throw ApiError.notFound('Case');
      return work(tx, row);
    });
  }

  /**
   * Reads a case for writing; with `lock`, first locks its row (a statement of its own: a locking
   * read with sub-selects would see them as they were before its wait). 404 outside the scope.
   */
  private async loadInScope(
    manager: EntityManager,
    caseId: string,
    scope: CaseScope,
    lock: boolean,
  ): Promise<LoadedCase> {
    if (lock) {
      const row = await this.repository.lockRow(manager, caseId);
      if (!row || !inScope(row, scope)) throw ApiError.notFound('Case');
    }
    const loaded = await this.repository.load(manager, caseId, { evidence: true });
    if (!loaded || !inScope(loaded, scope)) throw ApiError.notFound('Case');
    return loaded;
  }

  /** A new case's merchant and supplier; 400 naming the one that does not exist. */
  private async partiesOf(command: OpenCaseCommand): Promise<Parties> {
    const parties = await this.repository.parties(command.merchantId, command.supplierId);
    if (parties) return parties;
    const found = await this.repository.partiesExist(command.merchantId, command.supplierId);
    const problems = [];
    if (!found.merchant) problems.push({ field: 'merchantId', problem: 'names no merchant' });
    if (!found.supplier) problems.push({ field: 'supplierId', problem: 'names no supplier' });
    throw ApiError.validation(problems);
  }

  private at(now: Date): StepClock {
    return { now, resolveDue: this.resolveDue };
  }
}

function accepted(row: LoadedCase) {
  return { duplicate: false, caseId: row.id, state: row.state, version: row.version, row } as const;
}

function missed(write: StepWrite): Error {
  const { row, expectedVersion } = write;
  return new Error(`case ${row.id}: locked write matched no row at version ${expectedVersion}`);
}

function inScope(row: CaseRow, scope: CaseScope): boolean {
  if (scope.merchantId && row.merchant_id !== scope.merchantId) return false;
  if (scope.supplierId && row.supplier_id !== scope.supplierId) return false;
  return true;
}
