/**
 * When a case link stops working (collaboration.md, evidence.md). Pure: values in, values out.
 * - A supplier link: 30 days after it was made, or 7 days after its case closes, whichever first.
 * - A buyer link: 14 days after it was made.
 */
export type LinkAudience = 'supplier' | 'buyer';

const DAY_MS = 86_400_000;

const LIFETIME_DAYS: Record<LinkAudience, number> = { supplier: 30, buyer: 14 };
/** Days a link outlives its case's closing; null: the closing does not shorten it. */
const AFTER_CLOSING_DAYS: Record<LinkAudience, number | null> = { supplier: 7, buyer: null };

/** The `expires_at` a link is stored with: its lifetime from its creation. */
export function linkLifetimeEnd(audience: LinkAudience, createdAt: Date): Date {
  return new Date(createdAt.getTime() + LIFETIME_DAYS[audience] * DAY_MS);
}

/** When a link stops working: its stored end, brought forward by its case's closing. */
export function linkExpiresAt(
  audience: LinkAudience,
  storedEnd: Date,
  caseClosedAt: Date | null,
): Date {
  const afterClosing = AFTER_CLOSING_DAYS[audience];
  if (caseClosedAt === null || afterClosing === null) return storedEnd;
  const closingEnd = new Date(caseClosedAt.getTime() + afterClosing * DAY_MS);
  return closingEnd < storedEnd ? closingEnd : storedEnd;
}

/** Whether a link works at `now`: not revoked and not expired (one rule for every route). */
export function linkIsLive(link: { revokedAt: Date | null; expiresAt: Date }, now: Date): boolean {
  return link.revokedAt === null && now < link.expiresAt;
}
