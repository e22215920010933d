/**
 * The supplier and merchant scorecards (workflows.md and collaboration.md, "Measures") as pure
 * functions over one row of facts per case. The repository loads the facts of the window's cases
 * (withdrawn ones left out: they count in no metric); every rule of what a figure means lives here.
 *
 * Whose act an entry is: an entry whose actor is `{kind: "supplier"}` (webhook, supplier key or
 * link) is **from** the supplier; one whose actor is `{kind: "merchant", onBehalfOf: "supplier"}`
 * is an outcome the merchant **relayed** for it, with proof. Both count as the supplier's outcomes
 * (verification decisions, refunds, reships, the breach rates follow the case, whoever recorded
 * it); the response time, though, is timed only on the supplier's own entries, because a relayed
 * entry's time is when the merchant recorded it, not when the supplier answered.
 */

export const HOUR_MS = 3_600_000;
/** The marketplace norm: a claim gets an answer within 24 hours (workflows.md). */
export const RESPONSE_NORM_MS = 24 * HOUR_MS;

/** Outcomes in which the supplier paid money back. */
export const REFUND_OUTCOMES: readonly string[] = [
  'refunded',
  'intercepted_refunded',
  'supplier_switched',
];

/** Entries that are conversation or documents, not a party's outcome (all else by or for the supplier is). */
export const NOT_OUTCOME_ENTRIES: readonly string[] = ['MESSAGE', 'NOTE', 'EVIDENCE_ADDED'];

/** What the scorecards need to know of one case; times are epoch milliseconds. */
export interface CaseFacts {
  type: string;
  /** Null while the case is open. */
  outcome: string | null;
  createdAt: number;
  closedAt: number | null;
  /** When the case first waited on the supplier: the start of its first `supplier_response` clock. */
  supplierAskedAt: number | null;
  /** The first entry from the supplier itself (any type, messages and acknowledgements included). */
  firstFromSupplierAt: number | null;
  /** The first entry the merchant recorded on the supplier's behalf. */
  firstRelayedAt: number | null;
  /** `MESSAGE` entries on the case, from anyone (the case view's `messages`). */
  messages: number;
  /** Entries by or for the supplier that are outcomes (not in {@link NOT_OUTCOME_ENTRIES}). */
  supplierOutcomes: number;
  /** Of those, the ones the merchant relayed. */
  relayedOutcomes: number;
  verificationsConfirmed: number;
  verificationsRejected: number;
  /** Kinds of the case's settled (fired or cancelled) deadlines, one per timer. */
  settledTimers: readonly string[];
  /** Kinds of the case's missed deadlines, one per breach. */
  breachedTimers: readonly string[];
}

export interface SupplierMeasures {
  cases: number;
  byType: Record<string, number>;
  firstResponseMedianSeconds: number | null;
  firstResponse: { medianHours: number | null; within24hShare: number | null };
  supplierResponseBreachRate: number | null;
  resolutionBreachRate: number | null;
  verificationConfirmRate: number | null;
  refunds: number;
  reships: number;
  lateShipmentRate: number | null;
  messagesPerClosedCase: number | null;
  relayedShare: number | null;
}

export interface MerchantMeasures {
  cases: number;
  byType: Record<string, number>;
  byOutcome: Record<string, number>;
  medianHoursToClose: number | null;
  messagesPerClosedCase: number | null;
  breachesByKind: Record<string, number>;
}

export const ratio = (part: number, whole: number): number | null =>
  whole > 0 ? part / whole : null;

/** The median of `values` (the mean of the middle two for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Counts of `keys`, in key order (so that two equal scorecards serialize alike). */
function countBy(keys: Iterable<string>): Record<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * How long the supplier took to answer a case, in milliseconds, when that can be known:
 * - `{timed}`: its first own entry came before anything was relayed for it; timed from when the
 *   case first waited on it (its first `supplier_response` clock; the opening if it never had
 *   one), so that the supplier is never timed on the merchant's delay; 0 if it answered earlier.
 * - `'unknown'`: the first answer on record was relayed by the merchant (the supplier answered
 *   somewhere else, some time before the merchant recorded it).
 * - `'none'`: nothing from or for the supplier on the case.
 */
export function supplierResponse(c: CaseFacts): { timed: number } | 'unknown' | 'none' {
  if (c.firstFromSupplierAt === null) return c.firstRelayedAt === null ? 'none' : 'unknown';
  if (c.firstRelayedAt !== null && c.firstRelayedAt < c.firstFromSupplierAt) return 'unknown';
  const from = c.supplierAskedAt ?? c.createdAt;
  return { timed: Math.max(0, c.firstFromSupplierAt - from) };
}

/**
 * Whether the supplier answered the case within 24 hours; null while that is not known yet, or
 * cannot be: a case answered only through the merchant, a case never put to the supplier, a case
 * whose 24 hours have not run out (by `now`, or by its closing) without an answer.
 */
export function answeredWithin24h(c: CaseFacts, now: number): boolean | null {
  const response = supplierResponse(c);
  if (response === 'unknown') return null;
  if (response !== 'none') return response.timed <= RESPONSE_NORM_MS;
  if (c.supplierAskedAt === null) return null;
  const waitedUntil = c.closedAt ?? now;
  return waitedUntil - c.supplierAskedAt >= RESPONSE_NORM_MS ? false : null;
}

/** Mean `MESSAGE` entries per closed case; null when none closed. */
function messagesPerClosedCase(cases: readonly CaseFacts[]): number | null {
  const closed = cases.filter((c) => c.closedAt !== null);
  return ratio(
    closed.reduce((sum, c) => sum + c.messages, 0),
    closed.length,
  );
}

const hasAny = (kinds: readonly string[], wanted: readonly string[]) =>
  kinds.some((kind) => wanted.includes(kind));

const SUPPLIER_RESPONSE = ['supplier_response'];
const RESOLUTION = ['resolution_due', 'refund_due'];

/** The supplier scorecard over the facts of its cases in the window; `now` settles open clocks. */
export function supplierMeasures(cases: readonly CaseFacts[], now: number): SupplierMeasures {
  const timed: number[] = [];
  let within = 0;
  let judged = 0;
  let srSettled = 0;
  let srMissed = 0;
  let resSettled = 0;
  let resMissed = 0;
  let confirmed = 0;
  let decided = 0;
  let outcomes = 0;
  let relayed = 0;
  for (const c of cases) {
    const response = supplierResponse(c);
    if (typeof response === 'object') timed.push(response.timed);
    const inTime = answeredWithin24h(c, now);
    if (inTime !== null) {
      judged++;
      if (inTime) within++;
    }
    if (hasAny(c.settledTimers, SUPPLIER_RESPONSE)) srSettled++;
    if (hasAny(c.breachedTimers, SUPPLIER_RESPONSE)) srMissed++;
    if (hasAny(c.settledTimers, RESOLUTION)) resSettled++;
    if (hasAny(c.breachedTimers, RESOLUTION)) resMissed++;
    confirmed += c.verificationsConfirmed;
    decided += c.verificationsConfirmed + c.verificationsRejected;
    outcomes += c.supplierOutcomes;
    relayed += c.relayedOutcomes;
  }
  const medianMs = median(timed);
  const late = cases.filter((c) => c.type === 'late_shipment').length;
  return {
    cases: cases.length,
    byType: countBy(cases.map((c) => c.type)),
    firstResponseMedianSeconds: medianMs === null ? null : medianMs / 1000,
    firstResponse: {
      medianHours: medianMs === null ? null : medianMs / HOUR_MS,
      within24hShare: ratio(within, judged),
    },
    supplierResponseBreachRate: ratio(srMissed, srSettled),
    resolutionBreachRate: ratio(resMissed, resSettled),
    verificationConfirmRate: ratio(confirmed, decided),
    refunds: cases.filter((c) => c.outcome !== null && REFUND_OUTCOMES.includes(c.outcome)).length,
    reships: cases.filter((c) => c.outcome === 'reshipped').length,
    lateShipmentRate: ratio(late, cases.length),
    messagesPerClosedCase: messagesPerClosedCase(cases),
    relayedShare: ratio(relayed, outcomes),
  };
}

/** The merchant scorecard over the facts of its cases in the window. */
export function merchantMeasures(cases: readonly CaseFacts[]): MerchantMeasures {
  const closed = cases.filter((c) => c.closedAt !== null);
  const toClose = median(closed.map((c) => (c.closedAt as number) - c.createdAt));
  return {
    cases: cases.length,
    byType: countBy(cases.map((c) => c.type)),
    byOutcome: countBy(closed.flatMap((c) => (c.outcome === null ? [] : [c.outcome]))),
    medianHoursToClose: toClose === null ? null : toClose / HOUR_MS,
    messagesPerClosedCase: messagesPerClosedCase(cases),
    breachesByKind: countBy(cases.flatMap((c) => c.breachedTimers)),
  };
}
