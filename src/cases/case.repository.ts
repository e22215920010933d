import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { prepared } from '../database/prepared';
import type { CaseRow, LoadedCase, Parties } from './case.types';
import { ApiError } from '../common/errors/api-error';
import type { NotificationValues } from '../notifications/content/case-notification';
import {
  INTEGRITY_FAILURE,
  StepWrite,
  stepStatement,
  StepWriteResult,
  stepWriteResult,
} from './step-write';

/**
 * A step write that failed because the case's version is not its last seq: its new entry's seq is
 * taken already (`timeline_entries_pkey`), or the statement's guard found a gap. 409, not 500.
 */
function integrityFailure(error: unknown, caseId: string): ApiError | null {
  const driver = (error as { driverError?: { constraint?: string; message?: string } }).driverError;
  const taken = driver?.constraint === 'timeline_entries_pkey';
  if (!taken && !driver?.message?.includes(INTEGRITY_FAILURE)) return null;
  return new ApiError(
    'integrity_error',
    `Case ${caseId} failed its integrity check: its version differs from its timeline's last seq; nothing was written`,
  );
}

/** Filters of the case list (all optional, combined with AND). */
export interface CaseListFilter {
  merchantId?: string;
  supplierId?: string;
  status?: string;
  type?: string;
  breached?: boolean;
  openedFrom?: Date;
  openedBefore?: Date;
  /** Open cases whose next deadline is before this time (the work queue). */
  dueBefore?: Date;
  waitingOn?: string;
  /** The order's ref, as the case's copy of the order says it. */
  orderRef?: string;
}

/** A timer of a case as every deadline list shows it, live, fired or cancelled. */
export interface CaseTimerRow {
  kind: string;
  due_at: Date;
  created_at: Date;
  fired_at: Date | null;
  cancelled_at: Date | null;
  breached: boolean;
}

/** The SQL conditions (on alias `c`) of a list's filters, with `$n` parameters from `params`. */
function filterConditions(filter: CaseListFilter, params: unknown[]): string[] {
  const where: string[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    let text = sql;
    for (const value of values) {
      params.push(value);
      text = text.replace('?', `$${params.length}`);
    }
    where.push(text);
  };
  if (filter.merchantId) add('c.merchant_id = ?', filter.merchantId);
  if (filter.supplierId) add('c.supplier_id = ?', filter.supplierId);
  if (filter.status) add('c.status = ?', filter.status);
  if (filter.type) add('c.type = ?', filter.type);
  if (filter.breached !== undefined) add('c.breached = ?', filter.breached);
  if (filter.openedFrom) add('c.created_at >= ?', filter.openedFrom);
  if (filter.openedBefore) add('c.created_at < ?', filter.openedBefore);
  if (filter.waitingOn) add('c.waiting_on = ?', filter.waitingOn);
  if (filter.orderRef) add(`(c.order_snapshot->>'ref') = ?`, filter.orderRef);
  // A closed case has no live deadline: its next_deadline_at is null.
  if (filter.dueBefore) add(`c.next_deadline_at < ? AND c.status = 'open'`, filter.dueBefore);
  return where;
}

/** How a list is ordered: newest first, or by next deadline (earliest first, none last). */
export type CaseSort = 'createdAt' | 'dueAt';

/**
 * A position in the case list: the last case of a page, by (created_at, id) newest first, or
 * by (next_deadline_at nulls last, id) for `dueAt`.
 */
export type CaseCursor = { createdAt: Date; id: string } | { dueAt: Date | null; id: string };

/** A deadline warning claimed for sending: its timer. */
export interface ClaimedWarning {
  id: string;
  case_id: string;
  kind: string;
  due_at: Date;
}

const EVIDENCE_SQL = `COALESCE((SELECT json_agg(json_build_object('id', e.id, 'kind', e.kind, 'url', e.url,
    'content_type', e.content_type, 'size', e.size, 'sha256', e.sha256, 'description', e.description, 'added_by', e.added_by, 'created_at', e.created_at)
    ORDER BY e.created_at, e.id) FROM case_evidence e WHERE e.case_id = c.id), '[]')`;
const DEADLINES_SQL = `COALESCE((SELECT json_agg(json_build_object('id', t.id::text, 'kind', t.kind,
    'due_at', t.due_at, 'fired_at', t.fired_at, 'breached', t.breached) ORDER BY t.due_at, t.id)
    FROM case_timers t WHERE t.case_id = c.id AND t.cancelled_at IS NULL), '[]')`;
/** The case's supplier's name, shown to the merchant instead of its id (`supplierName`). */
const SUPPLIER_NAME_SQL = `(SELECT s.name FROM suppliers s WHERE s.id = c.supplier_id) AS s_name`;
/** {@link Parties} of merchant `m` and supplier `s`. */
const PARTIES_SQL = `m.country AS m_country, m.timezone AS m_timezone, m.language AS m_language,
    m.webhook_url AS m_webhook_url, s.country AS s_country, s.timezone AS s_timezone,
    s.webhook_url AS s_webhook_url, s.name AS s_name,
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
 * The SQL of cases: reads (as written, as shown, as listed), row locks, the one-statement step
 * write ({@link stepStatement}), feedback rows (evidence rows: src/evidence). Every method takes the manager it
 * runs on when it can be part of a caller's transaction; none decides anything (scope, refusals:
 * the case service).
 *
 * The hot statements go through {@link prepared}: their texts are a small fixed set.
 */
@Injectable()
export class CaseRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The manager outside any transaction. */
  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A case as read for writing, with its parties and live or fired timers (no lock). */
  async load(
    manager: EntityManager,
    caseId: string,
    opts: { evidence: boolean },
  ): Promise<LoadedCase | undefined> {
    const rows = await manager.query<LoadedCase[]>(prepared(loadSql(`c.id = $1`, opts)), [caseId]);
    return rows[0];
  }

  /**
   * The cases of the given timers, read for writing; their rows are locked already by the claim,
   * so this read waits for no one and sees them as they are.
   */
  async loadByTimers(tx: EntityManager, timerIds: string[]): Promise<LoadedCase[]> {
    return tx.query<LoadedCase[]>(
      prepared(
        loadSql(`c.id IN (SELECT case_id FROM case_timers WHERE id = ANY($1::bigint[]))`, {
          evidence: false,
        }),
      ),
      [timerIds],
    );
  }

  /** Locks a case's row until the transaction ends (no sub-selects: see {@link loadSql}). */
  async lockRow(tx: EntityManager, caseId: string): Promise<CaseRow | undefined> {
    const rows = await tx.query<CaseRow[]>(
      prepared(`SELECT * FROM cases WHERE id = $1 FOR UPDATE`),
      [caseId],
    );
    return rows[0];
  }

  /** What a new case needs of its merchant and supplier; undefined when either does not exist. */
  async parties(merchantId: string, supplierId: string): Promise<Parties | undefined> {
    const rows = await this.dataSource.query<Parties[]>(
      prepared(`SELECT ${PARTIES_SQL} FROM merchants m, suppliers s WHERE m.id = $1 AND s.id = $2`),
      [merchantId, supplierId],
    );
    return rows[0];
  }

  /** Which of the two exist (after {@link parties} found no pair). */
  async partiesExist(
    merchantId: string,
    supplierId: string,
  ): Promise<{ merchant: boolean; supplier: boolean }> {
    const rows = await this.dataSource.query<
      { merchant: number | null; supplier: number | null }[]
    >(
      `SELECT (SELECT 1 FROM merchants WHERE id = $1) AS merchant, (SELECT 1 FROM suppliers WHERE id = $2) AS supplier`,
      [merchantId, supplierId],
    );
    return { merchant: Boolean(rows[0].merchant), supplier: Boolean(rows[0].supplier) };
  }

  /**
   * Writes a planned step in one statement. Not written (`written: false`) when the case moved on
   * since it was read: the statement's version guard matched nothing, and nothing of it was
   * written. A redelivered webhook's receipt fails it (see webhook-receipts.ts).
   */
  async writeStep(manager: EntityManager, write: StepWrite): Promise<StepWriteResult> {
    const { sql, params } = stepStatement(write);
    // The statement's text depends on which effects the step has, not on their values: prepared.
    try {
      return stepWriteResult(await manager.query(prepared(sql), params));
    } catch (error) {
      throw integrityFailure(error, write.row.id) ?? error;
    }
  }

  /** The open case of this order and type, if any (one-open-case.ts). */
  async openCaseOf(merchantId: string, orderRef: string, type: string): Promise<string | null> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM cases
       WHERE merchant_id = $1 AND order_snapshot->>'ref' = $2 AND type = $3 AND status = 'open'`,
      [merchantId, orderRef, type],
    );
    return rows[0]?.id ?? null;
  }

  /** Cancels a live timer its machine no longer expects; one cancelled already keeps its time. */
  async cancelTimer(tx: EntityManager, timerId: string | null, now: Date): Promise<void> {
    await tx.query(
      // Not `cancelled_at IS NULL`: the partial index's predicate (see stepStatement's cancel).
      `UPDATE case_timers SET cancelled_at = COALESCE(cancelled_at, $2)
       WHERE id = $1 AND fired_at IS NULL`,
      [timerId, now],
    );
  }

  async insertFeedback(
    tx: EntityManager,
    row: CaseRow,
    feedback: { resolved: boolean; comment: string | null },
    now: Date,
  ): Promise<string> {
    const rows = await tx.query<{ id: string }[]>(
      `INSERT INTO case_feedback (case_id, merchant_id, resolved, comment, created_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [row.id, row.merchant_id, feedback.resolved, feedback.comment, now],
    );
    return rows[0].id;
  }

  /**
   * Claims up to `limit` deadline warnings due at `now` (their timer still live and not yet due),
   * skipping timers another transaction holds, and marks them sent (`warn_at` null) in the same
   * statement. Served by the partial index `case_timers_warn`.
   */
  async claimDueWarnings(tx: EntityManager, now: Date, limit: number): Promise<ClaimedWarning[]> {
    // An UPDATE answers `[rows, count]` through TypeORM's query().
    const [rows] = await tx.query<[ClaimedWarning[], number]>(
      prepared(`WITH due AS (
        SELECT t.id FROM case_timers t
        WHERE t.warn_at IS NOT NULL AND t.warn_at <= $1 AND t.due_at > $1
          AND t.fired_at IS NULL AND t.cancelled_at IS NULL
        ORDER BY t.warn_at LIMIT $2 FOR UPDATE SKIP LOCKED)
      UPDATE case_timers t SET warn_at = NULL FROM due WHERE t.id = due.id
      RETURNING t.id::text, t.case_id, t.kind, t.due_at`),
      [now, limit],
    );
    return rows;
  }

  /** Sets the next warning's time of timers whose warning was just sent (a kind with several). */
  async setNextWarnings(tx: EntityManager, next: { id: string; warnAt: Date }[]): Promise<void> {
    if (next.length === 0) return;
    await tx.query(
      prepared(`UPDATE case_timers t SET warn_at = x.warn_at
        FROM unnest($1::bigint[], $2::timestamptz[]) AS x(id, warn_at)
        WHERE t.id = x.id AND t.fired_at IS NULL AND t.cancelled_at IS NULL`),
      [next.map((n) => n.id), next.map((n) => n.warnAt)],
    );
  }

  /** Outbox rows written outside a step (a deadline warning): no timeline entry, no new version. */
  async insertNotifications(
    tx: EntityManager,
    caseId: string,
    rows: NotificationValues[],
    now: Date,
  ): Promise<void> {
    await tx.query(
      prepared(`INSERT INTO notifications (case_id, party, party_id, type, body, state, next_attempt_at, created_at)
        SELECT $1, n.party, n.party_id, n.type, n.body, n.state, $2, $2
        FROM jsonb_to_recordset($3::jsonb) AS n(party text, party_id uuid, type text, body jsonb, state text)`),
      [caseId, now, JSON.stringify(rows)],
    );
  }

  /** One case as shown, with its evidence and deadlines. */
  async find(caseId: string): Promise<CaseRow | undefined> {
    return (await this.select(`c.id = $1`, [caseId], 1))[0];
  }

  /**
   * Newest first, keyset-paginated on (created_at, id); or, sorted by `dueAt`, on
   * (next_deadline_at, id) ascending with the cases that have none last (the b-tree's own order
   * of `cases_next_deadline` and `cases_merchant_next_deadline`).
   */
  async list(
    filter: CaseListFilter,
    limit: number,
    cursor: CaseCursor | null,
    sort: CaseSort = 'createdAt',
  ): Promise<{ items: CaseRow[]; next: CaseCursor | null }> {
    const params: unknown[] = [];
    const where = filterConditions(filter, params);
    const add = (sql: string, ...values: unknown[]) => {
      let text = sql;
      for (const value of values) {
        params.push(value);
        text = text.replace('?', `$${params.length}`);
      }
      where.push(text);
    };
    if (cursor && 'createdAt' in cursor)
      add('(c.created_at, c.id) < (?, ?)', cursor.createdAt, cursor.id);
    if (cursor && 'dueAt' in cursor) {
      if (cursor.dueAt === null) add('c.next_deadline_at IS NULL AND c.id > ?', cursor.id);
      else
        add(
          '((c.next_deadline_at, c.id) > (?, ?) OR c.next_deadline_at IS NULL)',
          cursor.dueAt,
          cursor.id,
        );
    }
    const order =
      sort === 'dueAt'
        ? 'c.next_deadline_at ASC NULLS LAST, c.id ASC'
        : 'c.created_at DESC, c.id DESC';
    const rows = await this.select(where.join(' AND ') || 'true', params, limit + 1, order);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    if (rows.length <= limit || !last) return { items, next: null };
    const next: CaseCursor =
      sort === 'dueAt'
        ? {
            dueAt: last.next_deadline_at === null ? null : new Date(last.next_deadline_at),
            id: last.id,
          }
        : { createdAt: last.created_at, id: last.id };
    return { items, next };
  }

  /** How many cases match the filters, every page together. */
  async count(filter: CaseListFilter): Promise<number> {
    const params: unknown[] = [];
    const where = filterConditions(filter, params).join(' AND ') || 'true';
    const rows = await this.dataSource.query<{ n: string }[]>(
      prepared(`SELECT count(*) AS n FROM cases c WHERE ${where}`),
      params,
    );
    return Number(rows[0].n);
  }

  /** Every timer of a case, cancelled and fired ones included, by due time. */
  async timers(caseId: string): Promise<CaseTimerRow[]> {
    return this.dataSource.query<CaseTimerRow[]>(
      `SELECT kind, due_at, created_at, fired_at, cancelled_at, breached FROM case_timers
       WHERE case_id = $1 ORDER BY due_at, id`,
      [caseId],
    );
  }

  private async select(
    where: string,
    params: unknown[],
    limit: number,
    order = 'c.created_at DESC, c.id DESC',
  ): Promise<CaseRow[]> {
    // One text per combination of filters (the limit is a parameter): a small set, prepared.
    return await this.dataSource.query<CaseRow[]>(
      prepared(`SELECT c.*, ${EVIDENCE_SQL} AS evidence, ${DEADLINES_SQL} AS deadlines, ${SUPPLIER_NAME_SQL}
       FROM cases c WHERE ${where}
       ORDER BY ${order} LIMIT $${params.length + 1}`),
      [...params, limit],
    );
  }
}
