import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

/** A timeline entry as the contract shows it; `hash` covers every other field. */
export interface TimelineEntry {
  caseId: string;
  seq: number;
  /** ISO 8601 UTC with milliseconds, `Z`: exactly as the API returns it. */
  at: string;
  type: string;
  actor: { kind: string; id: string | null };
  fromState: string | null;
  toState: string | null;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Hex SHA-256 of the canonical JSON of exactly the hashed fields (api.md, TimelineEntry). */
export function entryHash(entry: Omit<TimelineEntry, 'hash'>): string {
  const { caseId, seq, at, type, actor, fromState, toState, payload, prevHash } = entry;
  const hashed = { caseId, seq, at, type, actor, fromState, toState, payload, prevHash };
  return createHash('sha256').update(canonicalJson(hashed), 'utf8').digest('hex');
}

export interface ChainCheck {
  valid: boolean;
  head: string;
  /** The first seq that does not hold, when invalid. */
  brokenAt?: number;
  problem?: string;
}

/** A verified point of a chain: the entry at `seq` has hash `hash` (seq 0: before the first). */
export interface ChainPoint {
  seq: number;
  hash: string;
}

export const CHAIN_START: ChainPoint = { seq: 0, hash: GENESIS_HASH };

/** Checks seq from 1 without gaps, each prevHash, and each hash recomputed. */
export function verifyChain(entries: TimelineEntry[]): ChainCheck {
  const check = verifyFrom(CHAIN_START, entries);
  return check.valid ? { valid: true, head: check.head } : check;
}

/**
 * Checks `entries` as the continuation of a chain already verified up to `from`: seq runs on from
 * `from.seq + 1` without gaps, the first prevHash is `from.hash`, every hash recomputes. `seq` in
 * the answer is the last seq that holds.
 */
export function verifyFrom(from: ChainPoint, entries: TimelineEntry[]): ChainCheck & ChainPoint {
  let prev = from.hash;
  let seq = from.seq;
  for (const entry of entries) {
    const broken = (problem: string) => ({
      valid: false,
      head: prev,
      seq,
      hash: prev,
      brokenAt: seq + 1,
      problem,
    });
    if (entry.seq !== seq + 1) return broken(`expected seq ${seq + 1}, found ${entry.seq}`);
    if (entry.prevHash !== prev) return broken('prevHash does not match the previous hash');
    if (entryHash(entry) !== entry.hash) return broken('hash does not match the entry');
    prev = entry.hash;
    seq = entry.seq;
  }
  return { valid: true, head: prev, seq, hash: prev };
}
