import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CHAIN_START, ChainPoint, TimelineEntry, verifyFrom } from './hash-chain';
import { prepared } from '../database/prepared';

export interface EntryRow {
  case_id: string;
  seq: number;
  at: Date;
  type: string;
  actor: TimelineEntry['actor'];
  from_state: string | null;
  to_state: string | null;
  payload: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export function toEntry(row: EntryRow): TimelineEntry {
  return {
    caseId: row.case_id,
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    type: row.type,
    actor: row.actor,
    fromState: row.from_state,
    toState: row.to_state,
    payload: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export const TIMELINE_PAGE_DEFAULT = 200;
export const TIMELINE_PAGE_MAX = 1000;
/**
 * A page (and a verification batch) ends once it holds this many bytes of payload: with `limit`
 * up to 1,000 and payloads up to 64 KiB, a page by count alone could be 64 MiB. The answer stays
 * near 1 MiB; `nextAfter` goes on from where it stopped.
 */
export const PAGE_PAYLOAD_BYTES = 1024 * 1024;
/** Entries per verification batch (bytes bounded as above). */
const VERIFY_BATCH = 500;
/**
 * The verified prefix is written only when a read verified at least this many new entries: a
 * read re-checks at most this many beyond it (microseconds), and reading a small case never
 * costs a write.
 */
export const PREFIX_MIN_ADVANCE = 32;

const COLUMNS = 'case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash';

/**
 * Entries of one case after seq `$2`, at most `$3` of them and up to seq `$4`, stopping once
 * `$5` bytes of payload are reached (the entry that crosses the line is the last one).
 */
const RANGE = `SELECT seq FROM (
    SELECT seq, sum(octet_length(payload::text)) OVER (ORDER BY seq) - octet_length(payload::text) AS before
    FROM (SELECT seq, payload FROM timeline_entries WHERE case_id = $1 AND seq > $2 AND seq <= $4
          ORDER BY seq LIMIT $3) x) y
  WHERE before < $5`;

/**
 * One round trip for a read: the case's version and head, the last seq, the verified prefix (and
 * the hash its entry has now), and the page's entries. Read in one snapshot, so the version and
 * the last seq are compared as one writer left them.
 */
const READ_PAGE = `
  WITH m AS (
    SELECT c.version, c.last_hash,
      (SELECT max(seq) FROM timeline_entries WHERE case_id = $1) AS max_seq,
      v.seq AS verified_seq, v.hash AS verified_hash,
      (SELECT hash FROM timeline_entries WHERE case_id = $1 AND seq = v.seq) AS verified_hash_now
    FROM cases c LEFT JOIN timeline_verified v ON v.case_id = c.id WHERE c.id = $1),
  page AS (${RANGE})
  SELECT m.version, m.max_seq, m.last_hash, m.verified_seq, m.verified_hash, m.verified_hash_now,
    ${COLUMNS.split(', ')
      .map((c) => `e.${c}`)
      .join(', ')}
  FROM m LEFT JOIN timeline_entries e ON e.case_id = $1 AND e.seq IN (SELECT seq FROM page)
  ORDER BY e.seq`;

const READ_RANGE = `SELECT ${COLUMNS} FROM timeline_entries
  WHERE case_id = $1 AND seq IN (${RANGE}) ORDER BY seq`;

const SAVE_PREFIX = `INSERT INTO timeline_verified (case_id, seq, hash) VALUES ($1, $2, $3)
  ON CONFLICT (case_id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash, verified_at = now()
  WHERE timeline_verified.seq < EXCLUDED.seq`;

interface PageRow extends Partial<EntryRow> {
  version: number;
  max_seq: number | null;
  last_hash: string;
  verified_seq: number | null;
  verified_hash: string | null;
  verified_hash_now: string | null;
}

export interface Integrity {
  valid: boolean;
  head: string;
  brokenAt?: number;
  problem?: string;
}

/**
 * Who reads a timeline: `internal` (merchant, ops) sees every entry; `supplier` (a supplier key or
 * link) never sees the entries internal to the merchant and ops ({@link INTERNAL_ENTRY_TYPES}).
 */
export type TimelineAudience = 'internal' | 'supplier';

/** Entries the merchant and ops keep between themselves (collaboration.md): hidden from suppliers. */
export const INTERNAL_ENTRY_TYPES: ReadonlySet<string> = new Set(['NOTE']);

export interface TimelinePage {
  caseId: string;
  events: TimelineEntry[];
  /** Present (true) when entries were left out for this reader; seq then has gaps. */
  filtered?: true;
  /** Pass as `after` for the next page; null at the end. */
  nextAfter: number | null;
  integrity: Integrity;
}

/**
 * Reads a case's timeline a page at a time, with the integrity of the whole chain (hardening.md,
 * "Bounded reads").
 *
 * The chain is not rechecked from its first entry on every read: `timeline_verified` keeps the
 * prefix already verified (its last seq and hash), a read checks that the prefix's last entry still
 * has that hash and verifies only the entries after it, so a read costs the page plus what was
 * appended since. `full` (ops) rechecks everything. The rest of the contract's check stays: seq
 * without gaps, each prevHash, each hash, and the case's `version` equal to its last seq (a forged
 * entry that leaves them apart is reported, not a 500 later). Entries beyond the page are read in
 * batches of bounded bytes, and concurrent reads of one case share one verification.
 */
/** One message of a case's thread, as `GET /v1/cases/:id/messages` lists it. */
export interface CaseMessage {
  seq: number;
  at: string;
  from: { kind: string; id: string | null; via?: string };
  text: string;
}

@Injectable()
export class TimelineService {
  private readonly verifying = new Map<string, Promise<ChainCheckTo>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The case's message thread: its `MESSAGE` entries, oldest first (collaboration.md). */
  async messages(caseId: string): Promise<CaseMessage[]> {
    const rows = await this.dataSource.query<
      { seq: number; at: Date; actor: CaseMessage['from']; text: string }[]
    >(
      prepared(`SELECT seq, at, actor, payload->>'text' AS text FROM timeline_entries
        WHERE case_id = $1 AND type = 'MESSAGE' ORDER BY seq`),
      [caseId],
    );
    return rows.map((r) => ({
      seq: r.seq,
      at: new Date(r.at).toISOString(),
      from: r.actor,
      text: r.text,
    }));
  }

  async read(
    caseId: string,
    opts: { limit?: number; after?: number; full?: boolean; audience?: TimelineAudience } = {},
  ): Promise<TimelinePage> {
    const page = await this.readAll(caseId, opts);
    if (opts.audience !== 'supplier') return page;
    // Left out after the read: the page, its `nextAfter` and the integrity are the whole chain's.
    const events = page.events.filter((e) => !INTERNAL_ENTRY_TYPES.has(e.type));
    return { ...page, events, filtered: true };
  }

  private async readAll(
    caseId: string,
    opts: { limit?: number; after?: number; full?: boolean },
  ): Promise<TimelinePage> {
    const limit = opts.limit ?? TIMELINE_PAGE_DEFAULT;
    const after = opts.after ?? 0;
    const rows = await this.dataSource.query<PageRow[]>(prepared(READ_PAGE), [
      caseId,
      after,
      limit,
      2_147_483_647,
      PAGE_PAYLOAD_BYTES,
    ]);
    const meta = rows[0];
    if (!meta) return { caseId, events: [], nextAfter: null, integrity: { valid: true, head: '' } };
    const events = rows.filter((r) => r.seq != null).map((r) => toEntry(r as EntryRow));
    const maxSeq = meta.max_seq ?? 0;
    const last = events.length ? events[events.length - 1].seq : after;
    return {
      caseId,
      events,
      nextAfter: events.length && last < maxSeq ? last : null,
      integrity: await this.integrity(caseId, meta, events, opts.full ?? false),
    };
  }

  private async integrity(
    caseId: string,
    meta: PageRow,
    page: TimelineEntry[],
    full: boolean,
  ): Promise<Integrity> {
    const maxSeq = meta.max_seq ?? 0;
    let from: ChainPoint = CHAIN_START;
    if (!full && meta.verified_seq !== null) {
      if (meta.verified_hash_now !== meta.verified_hash) {
        return {
          valid: false,
          head: meta.verified_hash ?? '',
          brokenAt: meta.verified_seq,
          problem: `entry ${meta.verified_seq} is not the one verified before (removed or changed)`,
        };
      }
      from = { seq: meta.verified_seq, hash: meta.verified_hash! };
    }
    // What the page holds of the unverified part: enough when it reaches the end.
    const covered =
      page.length > 0 && page[0].seq <= from.seq + 1 && page[page.length - 1].seq >= maxSeq;
    const check = covered
      ? verifyFrom(
          from,
          page.filter((e) => e.seq > from.seq),
        )
      : await this.verifyShared(caseId, from, maxSeq);
    if (!check.valid) {
      return { valid: false, head: check.head, brokenAt: check.brokenAt, problem: check.problem };
    }
    if (check.seq !== maxSeq) {
      return {
        valid: false,
        head: check.head,
        brokenAt: check.seq + 1,
        problem: `expected seq ${check.seq + 1}, the chain ends at ${check.seq} of ${maxSeq}`,
      };
    }
    if (meta.version !== maxSeq) {
      return {
        valid: false,
        head: check.head,
        brokenAt: Math.min(meta.version, maxSeq) + 1,
        problem: `the case's version ${meta.version} differs from its last seq ${maxSeq}`,
      };
    }
    if (maxSeq > 0 && meta.last_hash !== check.head) {
      return {
        valid: false,
        head: check.head,
        brokenAt: maxSeq,
        problem: "the case's head hash differs from its last entry's hash",
      };
    }
    if (check.seq - (meta.verified_seq ?? 0) >= PREFIX_MIN_ADVANCE) {
      await this.dataSource.query(SAVE_PREFIX, [caseId, check.seq, check.head]);
    }
    return { valid: true, head: check.head };
  }

  /** One verification per case and starting point at a time; concurrent reads wait for it. */
  private verifyShared(caseId: string, from: ChainPoint, to: number): Promise<ChainCheckTo> {
    const key = `${caseId}:${from.seq}:${to}`;
    let running = this.verifying.get(key);
    if (!running) {
      running = this.verifyRange(caseId, from, to).finally(() => this.verifying.delete(key));
      this.verifying.set(key, running);
    }
    return running;
  }

  /** Verifies (from.seq, to] in batches of bounded bytes, holding one batch at a time. */
  private async verifyRange(caseId: string, from: ChainPoint, to: number): Promise<ChainCheckTo> {
    let point = from;
    for (;;) {
      const rows = await this.dataSource.query<EntryRow[]>(prepared(READ_RANGE), [
        caseId,
        point.seq,
        VERIFY_BATCH,
        to,
        PAGE_PAYLOAD_BYTES,
      ]);
      const check = verifyFrom(point, rows.map(toEntry));
      if (!check.valid || rows.length === 0 || check.seq >= to) return check;
      point = { seq: check.seq, hash: check.hash };
    }
  }
}

type ChainCheckTo = ReturnType<typeof verifyFrom>;
