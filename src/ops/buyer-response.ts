/**
 * The buyer's 24 hours in the merchant scorecard (lost-and-disputed.md, the seeds' "answer every
 * buyer within 24 h"): of the buyers' contacts whose `buyer_response` clock was settled in the
 * window, the share the merchant answered in time (`BUYER_ANSWERED` cleared the clock) and the
 * median hours it took them. A clock the case's closing cancelled, or still running, says
 * nothing either way and is left out; a missed one counts as not answered in time.
 */

/** One settled `buyer_response` clock: answered in time (with how long it took), or missed. */
export interface BuyerContact {
  /** Milliseconds from the contact to the answer; null: the 24 hours ran out. */
  answeredAfterMs: number | null;
}

export interface BuyerResponseFigures {
  /** Answered within 24 h / settled contacts; null with none. */
  within24hShare: number | null;
  /** Median hours to the answer over the contacts answered in time; null with none. */
  medianHours: number | null;
}

export function buyerResponseFigures(contacts: readonly BuyerContact[]): BuyerResponseFigures {
  const answered = contacts
    .flatMap((c) => (c.answeredAfterMs === null ? [] : [c.answeredAfterMs / 3_600_000]))
    .sort((a, b) => a - b);
  const mid = answered.length >> 1;
  return {
    within24hShare: contacts.length ? answered.length / contacts.length : null,
    medianHours: answered.length
      ? answered.length % 2
        ? answered[mid]
        : (answered[mid - 1] + answered[mid]) / 2
      : null,
  };
}

/**
 * The merchant's settled `buyer_response` clocks started in [$2, $3) ($1: the merchant), on
 * cases not withdrawn: answered when a `BUYER_ANSWERED` entry was written by the step that
 * cancelled it (same instant).
 */
export const BUYER_CONTACTS_SQL = `
  SELECT CASE WHEN t.cancelled_at IS NOT NULL
           THEN (extract(epoch FROM t.cancelled_at - t.created_at) * 1000)::float8 END
           AS answered_after_ms
  FROM case_timers t JOIN cases c ON c.id = t.case_id
  WHERE c.merchant_id = $1 AND t.kind = 'buyer_response'
    AND t.created_at >= $2 AND t.created_at < $3
    AND c.outcome IS DISTINCT FROM 'withdrawn'
    AND (t.fired_at IS NOT NULL OR EXISTS (
      SELECT 1 FROM timeline_entries e
      WHERE e.case_id = t.case_id AND e.type = 'BUYER_ANSWERED' AND e.at = t.cancelled_at))`;
