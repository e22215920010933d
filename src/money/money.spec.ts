import fc from 'fast-check';
import { amountProblem, currencyDigits, formatAmount, lineAmount, parseAmount } from './money';
import {
  balanceDelta,
  moneyTotals,
  outstandingOf,
  type MoneyCase,
  type BalanceFigures,
} from './case-money';

describe('currencyDigits', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
  ])('%s has %i minor digits', (currency, digits) => {
    expect(currencyDigits(currency)).toBe(digits);
  });
});

describe('parseAmount / formatAmount', () => {
  it.each([
    ['12.50', 'EUR', 1250n, '12.50'],
    ['12.5', 'EUR', 1250n, '12.50'],
    ['12', 'EUR', 1200n, '12.00'],
    ['0.01', 'EUR', 1n, '0.01'],
    ['1200', 'JPY', 1200n, '1200'],
    ['1.250', 'KWD', 1250n, '1.250'],
    ['1.25', 'KWD', 1250n, '1.250'],
    ['999999999999999.99', 'EUR', 99999999999999999n, '999999999999999.99'],
  ])('%s %s is %s minor units, written %s', (text, currency, minor, written) => {
    expect(parseAmount(text, currency)).toBe(minor);
    expect(formatAmount(minor, currency)).toBe(written);
  });

  it('writes negative amounts with a sign', () => {
    expect(formatAmount(-5n, 'EUR')).toBe('-0.05');
    expect(formatAmount(-1200n, 'JPY')).toBe('-1200');
  });

  it.each([
    ['1.234', 'EUR', 'must have at most 2 decimals in EUR'],
    ['1.5', 'JPY', 'must have no decimals in JPY'],
    ['1.2345', 'KWD', 'must have at most 3 decimals in KWD'],
    ['-1', 'EUR', 'must be a decimal string, e.g. "12.50"'],
    ['1e3', 'EUR', 'must be a decimal string, e.g. "12.50"'],
    [12.5, 'EUR', 'must be a decimal string, e.g. "12.50"'],
    ['.5', 'EUR', 'must be a decimal string, e.g. "12.50"'],
    ['1000000000000000', 'EUR', 'must be a decimal string, e.g. "12.50"'],
  ])('refuses %p in %s', (text, currency, problem) => {
    expect(amountProblem(text, currency)).toBe(problem);
    if (typeof text === 'string') expect(() => parseAmount(text, currency)).toThrow();
  });

  it('round-trips any amount of 0, 2 and 3 digit currencies exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }),
        fc.constantFrom('JPY', 'EUR', 'KWD'),
        (minor, currency) => {
          const text = formatAmount(minor, currency);
          expect(amountProblem(text, currency)).toBeNull();
          expect(parseAmount(text, currency)).toBe(minor);
        },
      ),
    );
  });
});

describe('lineAmount', () => {
  it('multiplies exactly and rounds half up to the currency', () => {
    expect(lineAmount(3, '19.99', 'EUR')).toBe(5997n);
    expect(lineAmount(3, '0.125', 'EUR')).toBe(38n); // 0.375 -> 0.38
    expect(lineAmount(1, '1200', 'JPY')).toBe(1200n);
    expect(lineAmount(7, '0.1', 'EUR')).toBe(70n); // 0.7, never 0.7000000000000001
  });
});

const CURRENCIES = ['JPY', 'EUR', 'KWD'] as const;

function freshCase(currency: string, claimed: bigint): MoneyCase {
  return {
    id: '8a000000-0000-4000-8000-000000000001',
    merchant_id: 'm',
    supplier_id: 's',
    status: 'open',
    outcome: null,
    version: 1,
    order_snapshot: { total: { amount: formatAmount(claimed, currency), currency } },
    currency,
    claim_items: [],
    claimed_minor: claimed.toString(),
    supplier_refunded_minor: '0',
    buyer_refunded_minor: '0',
    written_off_minor: '0',
    deadlines: [],
  };
}

type Step = { kind: 'refund'; part: number } | { kind: 'accept' } | { kind: 'force' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .double({ min: 0, max: 1, noNaN: true })
      .map((part) => ({ kind: 'refund' as const, part })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'accept' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'force' as const }) },
);

describe("a case's money under any sequence of refunds", () => {
  it('keeps claimed = refunded + outstanding + written off exactly, and the balance deltas sum to the case', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CURRENCIES),
        fc.bigInt({ min: 1n, max: 10n ** 15n }),
        fc.array(stepArb, { maxLength: 30 }),
        (currency, claimed, steps) => {
          let row = freshCase(currency, claimed);
          const sum: BalanceFigures = {
            claimed: 0n,
            refunded: 0n,
            writtenOff: 0n,
            outstanding: 0n,
            overdue: 0n,
            openCases: 0n,
          };
          const add = (d: BalanceFigures | null) => {
            if (!d) return;
            for (const k of Object.keys(sum) as (keyof BalanceFigures)[]) sum[k] += d[k];
          };
          add(balanceDelta(row, row, false));
          for (const step of steps) {
            if (row.status === 'closed') break;
            const owed = outstandingOf(row);
            let entry: { type: string; payload: Record<string, unknown> };
            let moved: MoneyCase = row;
            if (step.kind === 'refund') {
              // Any amount from one minor unit up to what is owed, as its text.
              const amount = 1n + BigInt(Math.floor(step.part * Number(owed - 1n)));
              entry = {
                type: 'REFUNDED',
                payload: { amount: formatAmount(amount, currency), currency },
              };
              if (amount === owed) moved = { ...row, status: 'closed', outcome: 'refunded' };
            } else {
              entry = {
                type: step.kind === 'accept' ? 'ACCEPT_PARTIAL' : 'FORCE_REFUND',
                payload: {},
              };
              const outcome = step.kind === 'accept' ? 'partially_refunded' : 'written_off';
              moved = { ...row, status: 'closed', outcome };
            }
            const next = moneyTotals(row, moved, entry).row;
            add(balanceDelta(row, next, true));
            row = { ...next, version: row.version + 1 };

            const refunded = BigInt(row.supplier_refunded_minor);
            const writtenOff = BigInt(row.written_off_minor);
            const outstanding = row.status === 'open' ? outstandingOf(row) : 0n;
            // Every closing here settles money (refunded, partially_refunded, written_off).
            expect(refunded + writtenOff + outstanding).toBe(claimed);
            expect(outstanding >= 0n && writtenOff >= 0n).toBe(true);
          }
          expect(sum).toEqual({
            claimed,
            refunded: BigInt(row.supplier_refunded_minor),
            writtenOff: BigInt(row.written_off_minor),
            outstanding: outstandingOf(row),
            overdue: 0n,
            openCases: row.status === 'open' ? 1n : 0n,
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
