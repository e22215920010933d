/**
 * The claim a case opens with (money.md, "The claim"): the order lines concerned and the amount
 * claimed from the supplier. Pure: the order and the request's `claim` in, the claim or a typed
 * refusal out.
 */
import { ApiError, type FieldProblem } from '../common/errors/api-error';
import type { OrderSnapshot } from '../workflows';
import { itemProblems, type ClaimItem } from './case-money';
import { amountProblem, formatAmount, lineAmount, parseAmount } from './money';

/** `claim` as POST /v1/cases takes it. */
export interface ClaimRequest {
  items?: ClaimItem[];
  amount?: string;
}

export interface ResolvedClaim {
  items: ClaimItem[];
  /** Minor units of `currency`. */
  amount: bigint;
  currency: string;
}

/**
 * The claim of a new case: without `claim` the whole order (its lines and `order.total`); without
 * `amount` the sum of `quantity x unitPrice` of the claimed lines (at most `order.total`). 400
 * for a line that is not the order's, a quantity above the one ordered, or an amount with more
 * decimals than the currency has (the order's total included); 422 `unprocessable` for an amount
 * above `order.total`.
 */
export function resolveClaim(order: OrderSnapshot, claim?: ClaimRequest | null): ResolvedClaim {
  const currency = order.total.currency;
  const problems: FieldProblem[] = [];
  const totalBad = amountProblem(order.total.amount, currency);
  if (totalBad) problems.push({ field: 'order.total.amount', problem: totalBad });
  const items = claim?.items ?? order.items.map(({ sku, quantity }) => ({ sku, quantity }));
  if (claim?.items !== undefined) {
    problems.push(
      ...itemProblems(claim.items, order as unknown as Record<string, unknown>, 'claim.items'),
    );
  }
  if (claim?.amount !== undefined) {
    const amountBad = amountProblem(claim.amount, currency);
    if (amountBad) problems.push({ field: 'claim.amount', problem: amountBad });
  }
  if (problems.length) throw ApiError.validation(problems);

  const total = parseAmount(order.total.amount, currency);
  if (claim?.amount !== undefined) {
    const amount = parseAmount(claim.amount, currency);
    if (amount > total) {
      throw new ApiError(
        'unprocessable',
        `claim.amount ${claim.amount} is above the order's total (${order.total.amount} ${currency})`,
      );
    }
    return { items, amount, currency };
  }
  if (claim?.items === undefined) return { items, amount: total, currency };
  const prices = new Map(order.items.map((line) => [line.sku, line.unitPrice]));
  const sum = items.reduce(
    (acc, item) => acc + lineAmount(item.quantity, prices.get(item.sku)!, currency),
    0n,
  );
  return { items, amount: sum > total ? total : sum, currency };
}

/** The claim as the case view shows it. */
export function claimView(row: {
  claim_items: ClaimItem[];
  claimed_minor: string;
  currency: string;
}): { items: ClaimItem[]; amount: string; currency: string } {
  return {
    items: row.claim_items,
    amount: formatAmount(BigInt(row.claimed_minor), row.currency),
    currency: row.currency,
  };
}
