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

type AuditRow = Parameters<typeof toEntry>[0] & { id: string };

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

/**
 * The audit export: every case's timeline entries, oldest first (by the entries' identity `id`,
 * i.e. insertion order), filtered, as a stream.
 *
 * Memory stays flat whatever the size: rows are read by keyset pagination on `id` (`id > last
 * ORDER BY id LIMIT n`, served by the unique index on `id`), one batch at a time, and the next
 * batch is read only when the HTTP response has taken the previous one (`Readable.from` pulls
 * the generator on demand, so a slow client slows the reads down). Each batch is its own query,
 * so no connection or transaction is held while the client reads. An entry committed during the
 * export appears in it when its `id` is past the point reached.
 */
@Injectable()
export class AuditExportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The entries matching `filter`, oldest first, one batch per yield. */
  async *batches(
    filter: AuditFilter,
    batchSize = AUDIT_BATCH_SIZE,
  ): AsyncGenerator<TimelineEntry[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.since) add('at >= ?', filter.since);
    if (filter.until) add('at < ?', filter.until);
    if (filter.caseId) add('case_id = ?', filter.caseId);
    if (filter.types?.length) add('type = ANY(?)', filter.types);
    if (filter.actorKind) add(`actor->>'kind' = ?`, filter.actorKind);
    if (filter.actorId) add(`actor->>'id' = ?`, filter.actorId);
    // One case: its entries were appended in seq order under the case's lock, so seq order is id
    // order, and the primary key (case_id, seq) serves the keyset. Else the unique index on id.
    // ORDER BY case_id, seq matches that index exactly, so even with stale statistics the planner
    // walks it rather than sorting every remaining row of the case for each batch.
    const key = filter.caseId ? 'seq' : 'id';
    const order = filter.caseId ? 'case_id, seq' : 'id';
    const cursorParam = params.length + 1;
    const sql = `SELECT id, case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash
      FROM timeline_entries WHERE ${key} > $${cursorParam}${where.map((w) => ` AND ${w}`).join('')}
      ORDER BY ${order} LIMIT ${Number(batchSize)}`;
    let last: string | number = 0;
    for (;;) {
      const rows: AuditRow[] = await this.dataSource.query<AuditRow[]>(sql, [...params, last]);
      if (rows.length === 0) return;
      const tail: AuditRow = rows[rows.length - 1];
      last = filter.caseId ? tail.seq : tail.id;
      yield rows.map(toEntry);
      if (rows.length < batchSize) return;
    }
  }

  /** The export as a byte stream: NDJSON (one TimelineEntry per line) or CSV with a header. */
  stream(filter: AuditFilter, format: 'ndjson' | 'csv'): Readable {
    const batches = this.batches(filter);
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
