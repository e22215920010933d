/**
 * What counts against a merchant in its measures (lost-and-disputed.md, the seeds' seller
 * protection): only cases whose liability is the merchant's, never withdrawn ones. A carrier's
 * loss after on-time shipping, a supplier's failure or a buyer's mistake is not the merchant's
 * doing. Kept apart from the measures' queries so that each of them says it the same way.
 */
import { UNATTRIBUTED_BREACH_KINDS } from '../workflows';

/** The condition on a case (alias `c`) that lets it count in the merchant's measures. */
export const COUNTS_FOR_MERCHANT_SQL = `c.liability = 'merchant' AND c.outcome IS DISTINCT FROM 'withdrawn'`;

/** Breach kinds counted against nobody (`customs_due`, `platform_window`): left out of breach counts. */
export const UNATTRIBUTED_BREACHES: readonly string[] = UNATTRIBUTED_BREACH_KINDS;

/**
 * The condition on a breached timer (alias `d`, its case `c`) that counts it against the
 * merchant: a case the merchant is liable for, a kind counted against someone.
 */
export const MERCHANT_BREACH_SQL = `c.liability = 'merchant' AND d.kind NOT IN (${UNATTRIBUTED_BREACHES.map(
  (kind) => `'${kind}'`,
).join(', ')})`;
