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

/** Checks seq from 1 without gaps, each prevHash, and each hash recomputed. */
export function verifyChain(entries: TimelineEntry[]): ChainCheck {
  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.seq !== i + 1) {
      return {
        valid: false,
        head: prev,
        brokenAt: i + 1,
        problem: `expected seq ${i + 1}, found ${entry.seq}`,
      };
    }
    if (entry.prevHash !== prev) {
      return {
        valid: false,
        head: prev,
        brokenAt: entry.seq,
        problem: 'prevHash does not match the previous hash',
      };
    }
    if (entryHash(entry) !== entry.hash) {
      return {
        valid: false,
        head: prev,
        brokenAt: entry.seq,
        problem: 'hash does not match the entry',
      };
    }
    prev = entry.hash;
  }
  return { valid: true, head: prev };
}
