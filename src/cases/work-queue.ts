/**
 * The work queue (lost-and-disputed.md): a case's `nextDeadline`, the earliest live timer that
 * can breach or warn, with the party it holds. Computed by the planner from the case's timers as
 * a step leaves them, and written by the step's own statement to the `cases` row, where the
 * due-soon list and `sort=dueAt` read it through an index (no join over every timer).
 */
import { DEADLINE_PARTIES, QUEUE_TIMER_KINDS } from '../workflows';
import type { CaseRow, CaseTimer } from './case.types';

export type QueueColumns = Pick<
  CaseRow,
  'next_deadline_at' | 'next_deadline_kind' | 'next_deadline_party'
>;

/** The earliest live queue deadline of these timers, as the case row keeps it (nulls: none). */
export function nextDeadlineOf(deadlines: readonly CaseTimer[]): QueueColumns {
  let next: CaseTimer | undefined;
  for (const t of deadlines) {
    if (t.fired_at !== null || !QUEUE_TIMER_KINDS.includes(t.kind)) continue;
    if (!next || new Date(t.due_at).getTime() < new Date(next.due_at).getTime()) next = t;
  }
  if (!next) return { next_deadline_at: null, next_deadline_kind: null, next_deadline_party: null };
  return {
    next_deadline_at: new Date(next.due_at).toISOString(),
    next_deadline_kind: next.kind,
    next_deadline_party: DEADLINE_PARTIES[next.kind] ?? null,
  };
}

/** The case view's `nextDeadline`: `{kind, dueAt, party}` or null. */
export function nextDeadlineView(row: QueueColumns) {
  if (row.next_deadline_at === null || row.next_deadline_kind === null) return null;
  return {
    kind: row.next_deadline_kind,
    dueAt: new Date(row.next_deadline_at).toISOString(),
    party: row.next_deadline_party,
  };
}
