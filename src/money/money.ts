/**
 * Exact money (money.md, "Amounts"): an amount is a whole number of the currency's minor units
 * (a bigint), never a binary float. Its text is a decimal string with at most the currency's
 * minor digits (ISO 4217: EUR 2, JPY 0, KWD 3), answered with exactly those digits ("12.50",
 * "1200", "1.250"). Pure functions, no I/O.
 */

const DIGITS = new Map<string, number>();

/**
 * The minor digits of an ISO 4217 currency, as the runtime's ICU data (CLDR, kept with ISO 4217)
 * has them: `Intl.NumberFormat`'s currency style. A well-formed code ICU does not know gets 2,
 * ICU's own default.
 */
export function currencyDigits(currency: string): number {
  let digits = DIGITS.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits!;
    DIGITS.set(currency, digits);
  }
  return digits;
}

/** 15 whole digits at most (as the order's amounts): any amount in minor units fits a bigint. */
const DECIMAL = /^(\d{1,15})(?:\.(\d+))?$/;

/** Why an amount's text is not money in this currency (null when it is), for a 400's `problem`. */
export function amountProblem(text: unknown, currency: string): string | null {
  if (typeof text !== 'string' || !DECIMAL.test(text)) {
    return 'must be a decimal string, e.g. "12.50"';
  }
  const digits = currencyDigits(currency);
  const decimals = DECIMAL.exec(text)![2]?.length ?? 0;
  if (decimals > digits) {
    return digits === 0
      ? `must have no decimals in ${currency}`
      : `must have at most ${digits} decimal${digits === 1 ? '' : 's'} in ${currency}`;
  }
  return null;
}

/** The amount in minor units; throws on a text {@link amountProblem} refuses (check first). */
export function parseAmount(text: string, currency: string): bigint {
  const problem = amountProblem(text, currency);
  if (problem) throw new Error(`parseAmount(${JSON.stringify(text)}, ${currency}): ${problem}`);
  const digits = currencyDigits(currency);
  const [, whole, fraction = ''] = DECIMAL.exec(text)!;
  return BigInt(whole + fraction.padEnd(digits, '0'));
}

/** Minor units as the currency writes them: exactly its digits, a leading `-` when negative. */
export function formatAmount(minor: bigint, currency: string): string {
  const digits = currencyDigits(currency);
  const sign = minor < 0n ? '-' : '';
  const units = (minor < 0n ? -minor : minor).toString().padStart(digits + 1, '0');
  if (digits === 0) return sign + units;
  return `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

/**
 * `quantity x unitPrice` in minor units, rounded half up to the currency's digits (a unit price
 * may carry more decimals than the currency, e.g. "0.125" EUR a piece).
 */
export function lineAmount(quantity: number, unitPrice: string, currency: string): bigint {
  const match = DECIMAL.exec(unitPrice);
  if (!match) throw new Error(`lineAmount: ${JSON.stringify(unitPrice)} is not a decimal`);
  const digits = currencyDigits(currency);
  const [, whole, fraction = ''] = match;
  const scale = Math.max(digits, fraction.length);
  const exact = BigInt(whole + fraction.padEnd(scale, '0')) * BigInt(quantity);
  const divisor = 10n ** BigInt(scale - digits);
  return (exact + divisor / 2n) / divisor;
}
