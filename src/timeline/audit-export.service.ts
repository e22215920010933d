import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { TimelineEntry } from './hash-chain';
import { toEntry } from './timeline.service';

/** Rows per round trip: big enough to stream fast, small enough to keep memory flat. */
export const AUDIT_BATCH_SIZE = 1000;

export interface AuditFilter {
  since?: Date;
  until?: Date;
  caseId?: string;
  types?: string[];
  actorKind?: string;
  actorId?: string;
}

type AuditRow = Parameters<typeof toEntry>[0] & { at_key: string };

/** The CSV columns: the TimelineEntry fields, in the contract's order. */
export const AUDIT_CSV_COLUMNS = [
  'caseId',
  'seq',
  'at',
  'type',
  'actor',
  'fromState',
  'toState',
  'payload',
  'prevHash',
  'hash',
] as const;

/** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record; `actor` and `payload` are JSON in their cells. */
export function csvLine(entry: TimelineEntry): string {
  return (
    [
      entry.caseId,
      entry.seq,
      entry.at,
      entry.type,
      JSON.stringify(entry.actor),
      entry.fromState,
      entry.toState,
      JSON.stringify(entry.payload),
      entry.prevHash,
      entry.hash,
    ]
      .map(csvCell)
      .join(',') + '\r\n'
  );
}

/** Where an export stopped: the last key served and the snapshot it was served from. */
export interface AuditCursor {
  /** `at` as PostgreSQL prints it (exact to the microsecond, casts back unchanged). */
  at: string;
  caseId: string;
  seq: number;
  /** `pg_snapshot` text, `xmin:xmax:xip,...`. */
  snapshot: string;
}

const CURSOR_AT =
  /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-](0\d|1[0-4])(:[0-5]\d)?$/;
const CURSOR_SNAPSHOT = /^\d{1,20}:\d{1,20}:(\d{1,20}(,\d{1,20}){0,999})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A time as PostgreSQL prints it, and one it will read back (a real day, hours below 24). */
function isCursorTime(text: string): boolean {
  const m = CURSOR_AT.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d);
  return (
    y >= 1 &&
    day.getUTCFullYear() === y &&
    day.getUTCMonth() === mo - 1 &&
    day.getUTCDate() === d &&
    h < 24 &&
    mi < 60 &&
    se < 60
  );
}

/** `xmin:xmax:xip,...` as PostgreSQL reads it: xmin <= xip < xmax, ascending, in 64 bits. */
function isSnapshot(text: string): boolean {
  if (!CURSOR_SNAPSHOT.test(text)) return false;
  const [xmin, xmax, xip] = text.split(':');
  const ids = [xmin, ...(xip ? xip.split(',') : []), xmax].map(BigInt);
  if (ids.some((id) => id < 1n || id >= 2n ** 63n)) return false;
  return (
    ids.every((id, i) => i === 0 || ids[i - 1] <= id) &&
    (ids.length === 2 || ids[ids.length - 2] < ids[ids.length - 1])
  );
}

export function encodeAuditCursor(cursor: AuditCursor): string {
  const { at, caseId, seq, snapshot } = cursor;
  return Buffer.from(JSON.stringify([at, caseId, seq, snapshot])).toString('base64url');
}

/** The cursor, or null when it is not one this API issued (a 400 for the caller). */
export function decodeAuditCursor(raw: string): AuditCursor | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 4) return null;
  const [at, caseId, seq, snapshot] = value as unknown[];
  if (typeof at !== 'string' || !isCursorTime(at)) return null;
  if (typeof caseId !== 'string' || !UUID.test(caseId)) return null;
  if (!Number.isInteger(seq) || (seq as number) < 1 || (seq as number) > 2_147_483_647) return null;
  if (typeof snapshot !== 'string' || !isSnapshot(snapshot)) return null;
  return { at, caseId, seq: seq as number, snapshot };
}

const KEY = '(at, case_id, seq)';
const COLUMNS = `at::text AS at_key, case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash`;

type Key = { at: string; caseId: string; seq: number };

/** Before every entry: the key of a cursor from an empty export. */
const EXPORT_START: Key = {
  at: '0001-01-01 00:00:00+00',
  caseId: '00000000-0000-0000-0000-000000000000',
  seq: 1,
};

export interface Bounds {
  snapshot: string;
  end: Key;
}

/**
 * The audit export: every case's timeline entries ordered by `(at, caseId, seq)`, filtered, as a
 * stream, resumable by a cursor (hardening.md, "The audit, beyond the chain").
 *
 * Commit safety. `at` is taken before an entry commits, so entries do not commit in `at` order: a
 * reader that resumed after the last key it saw, by key alone, would skip an entry with an earlier
 * `at` whose transaction was still running when the previous page was read. A settle window (only
 * export entries older than a few seconds) narrows that gap without closing it (a transaction can
 * outlast any window) and delays every reader. Instead each entry records the transaction that
 * wrote it (`xid`, migration AuditProofs), and the cursor records the snapshot the page was read
 * from. The table is append-only, so "visible in snapshot S" is a fixed set forever. A page answers
 * exactly:
 * - the entries visible now and not in the cursor's snapshot whose key is at or before the
 *   cursor's (late commits: they come first, in key order, found through the `xid` index), then
 * - the entries after the cursor's key, in key order, up to the page's end key,
 * all as of the page's own snapshot S0 (taken in the first statement; each batch filters on
 * visibility in S0, so later commits wait for the next page whichever batch reads them). The next
 * cursor is (end key, S0): what the reader has then is exactly "visible in S0 with key <= end".
 * Nothing is waited for and nothing is missed; the price is that a late entry arrives after entries
 * with later keys, in the page after the one it belongs to (per case the order holds: a case's
 * entries are written one after the other under its version guard).
 *
 * Memory stays flat: rows are read in batches by keyset on the `(at, case_id, seq)` index, and the
 * next batch only when the client has taken the previous one; no transaction is held.
 */
@Injectable()
export class AuditExportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The snapshot of this page and its end key (the `limit`-th matching key, or the last key). */
  async bounds(filter: AuditFilter, after: AuditCursor | null, limit?: number): Promise<Bounds> {
    // Only the filter's parameters that the statement uses (an unused one has no type).
    const { where, params } = limit ? filterSql(filter) : { where: '', params: [] as unknown[] };
    const afterKey = (p: unknown[]) =>
      after
        ? ` AND ${KEY} > (${push(p, after.at)}::timestamptz, ${push(p, after.caseId)}::uuid, ${push(p, after.seq)}::int)`
        : '';
    const key = `json_build_object('at', at::text, 'caseId', case_id, 'seq', seq)`;
    const nth = limit
      ? `(SELECT ${key} FROM timeline_entries WHERE true${where}${afterKey(params)}
          ORDER BY at, case_id, seq OFFSET ${Number(limit) - 1} LIMIT 1)`
      : 'NULL::json';
    // Fewer than `limit` entries match: the page ends at the last key of all (filters aside), so
    // the next page starts after everything this snapshot holds.
    const last = `(SELECT ${key} FROM timeline_entries WHERE true${afterKey(params)}
      ORDER BY at DESC, case_id DESC, seq DESC LIMIT 1)`;
    const rows = await this.dataSource.query<
      { snapshot: string; nth: Bounds['end']; last: Bounds['end'] }[]
    >(`SELECT pg_current_snapshot()::text AS snapshot, ${nth} AS nth, ${last} AS last`, params);
    const { snapshot, nth: n, last: l } = rows[0];
    return { snapshot, end: n ?? l ?? (after ? after : EXPORT_START) };
  }

  /**
   * The page's entries, one batch per yield: the late ones first, then the ones after the cursor
   * up to `bounds.end`, as of `bounds.snapshot`.
   */
  async *batches(
    filter: AuditFilter,
    after: AuditCursor | null,
    bounds: Bounds,
    batchSize = AUDIT_BATCH_SIZE,
  ): AsyncGenerator<TimelineEntry[]> {
    const end = bounds.end;
    if (after) {
      const late = (params: unknown[]) =>
        ` AND xid >= pg_snapshot_xmin(${push(params, after.snapshot)}::pg_snapshot)
          AND NOT pg_visible_in_snapshot(xid, ${push(params, after.snapshot)}::pg_snapshot)
          AND ${KEY} <= (${push(params, after.at)}::timestamptz, ${push(params, after.caseId)}::uuid, ${push(params, after.seq)}::int)`;
      yield* this.keyset(filter, bounds.snapshot, late, null, batchSize);
    }
    const upTo = (params: unknown[]) =>
      ` AND ${KEY} <= (${push(params, end.at)}::timestamptz, ${push(params, end.caseId)}::uuid, ${push(params, end.seq)}::int)`;
    yield* this.keyset(filter, bounds.snapshot, upTo, after, batchSize);
  }

  /** Matching rows visible in `snapshot`, in key order, after `from`, a batch per query. */
  private async *keyset(
    filter: AuditFilter,
    snapshot: string,
    range: (params: unknown[]) => string,
    from: Key | null,
    batchSize: number,
  ): AsyncGenerator<TimelineEntry[]> {
    let last = from;
    for (;;) {
      const { where, params } = filterSql(filter);
      const extra = range(params);
      const visible = ` AND pg_visible_in_snapshot(xid, ${push(params, snapshot)}::pg_snapshot)`;
      // One case: its entries' `at` never goes back along its seq, so seq order is key order, and
      // the primary key serves the keyset; planned on the `at` index instead, a case holding most
      // entries was re-sorted for every batch.
      const afterSql = !last
        ? ''
        : filter.caseId && last !== from
          ? ` AND seq > ${push(params, last.seq)}::int`
          : ` AND ${KEY} > (${push(params, last.at)}::timestamptz, ${push(params, last.caseId)}::uuid, ${push(params, last.seq)}::int)`;
      const order = filter.caseId ? 'case_id, seq' : 'at, case_id, seq';
      const rows = await this.dataSource.query<AuditRow[]>(
        `SELECT ${COLUMNS} FROM timeline_entries WHERE true${where}${extra}${visible}${afterSql}
         ORDER BY ${order} LIMIT ${Number(batchSize)}`,
        params,
      );
      if (rows.length === 0) return;
      const tail = rows[rows.length - 1];
      last = { at: tail.at_key, caseId: tail.case_id, seq: tail.seq };
      yield rows.map(toEntry);
      if (rows.length < batchSize) return;
    }
  }

  /** The cursor that resumes after this page. */
  nextCursor(bounds: Bounds): string {
    return encodeAuditCursor({ ...bounds.end, snapshot: bounds.snapshot });
  }

  /** The export as a byte stream: NDJSON (one TimelineEntry per line) or CSV with a header. */
  stream(
    filter: AuditFilter,
    format: 'ndjson' | 'csv',
    after: AuditCursor | null,
    bounds: Bounds,
  ): Readable {
    const batches = this.batches(filter, after, bounds);
    async function* chunks(): AsyncGenerator<string> {
      if (format === 'csv') yield AUDIT_CSV_COLUMNS.join(',') + '\r\n';
      for await (const batch of batches) {
        yield format === 'csv'
          ? batch.map(csvLine).join('')
          : batch.map((entry) => JSON.stringify(entry) + '\n').join('');
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }
}

function push(params: unknown[], value: unknown): string {
  params.push(value);
  return `$${params.length}`;
}

function filterSql(filter: AuditFilter): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  let where = '';
  if (filter.since) where += ` AND at >= ${push(params, filter.since)}`;
  if (filter.until) where += ` AND at < ${push(params, filter.until)}`;
  if (filter.caseId) where += ` AND case_id = ${push(params, filter.caseId)}`;
  if (filter.types?.length) where += ` AND type = ANY(${push(params, filter.types)})`;
  if (filter.actorKind) where += ` AND actor->>'kind' = ${push(params, filter.actorKind)}`;
  if (filter.actorId) where += ` AND actor->>'id' = ${push(params, filter.actorId)}`;
  return { where, params };
}
