import { ApiError } from '../common/errors/api-error';
import { sampleOrder } from '../workflows/workflow.examples';
import { admitMoney, checkMoneyLimits, type MoneyCase } from './case-money';
import { resolveClaim } from './claim';

const order = sampleOrder({
  items: [
    { sku: 'A', quantity: 2, unitPrice: '10.00' },
    { sku: 'B', quantity: 1, unitPrice: '0.125' },
  ],
  total: { amount: '25.00', currency: 'EUR' },
});

function row(overrides: Partial<MoneyCase> = {}): MoneyCase {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    merchant_id: 'm',
    supplier_id: 's',
    status: 'open',
    outcome: null,
    version: 1,
    order_snapshot: order as unknown as Record<string, unknown>,
    currency: 'EUR',
    claim_items: [],
    claimed_minor: '2000',
    supplier_refunded_minor: '500',
    buyer_refunded_minor: '0',
    written_off_minor: '0',
    ...overrides,
  };
}

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return { code: error.code, ...error.extra };
    throw error;
  }
  return null;
};

describe('resolveClaim', () => {
  it('defaults to the whole order and its total', () => {
    expect(resolveClaim(order)).toEqual({
      items: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      amount: 2500n,
      currency: 'EUR',
    });
  });

  it('sums the lines named, rounding a price finer than the currency half up', () => {
    expect(resolveClaim(order, { items: [{ sku: 'B', quantity: 1 }] }).amount).toBe(13n);
    expect(resolveClaim(order, { items: [{ sku: 'A', quantity: 1 }], amount: '9' }).amount).toBe(
      900n,
    );
  });

  it('refuses what the order does not have (400) and more than its total (422)', () => {
    expect(
      refusal(() => resolveClaim(order, { items: [{ sku: 'C', quantity: 1 }] })),
    ).toMatchObject({ code: 'validation_failed' });
    expect(refusal(() => resolveClaim(order, { amount: '25.01' }))).toMatchObject({
      code: 'unprocessable',
    });
    expect(refusal(() => resolveClaim(order, { amount: '1.001' }))).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'claim.amount', problem: 'must have at most 2 decimals in EUR' }],
    });
  });
});

describe('admitMoney and checkMoneyLimits', () => {
  it('tells a partial refund from the one that completes the claim', () => {
    expect(admitMoney('REFUNDED', { amount: '14.99', currency: 'EUR' }, row())).toEqual({
      refundCompletes: false,
    });
    expect(admitMoney('REFUNDED', { amount: '15', currency: 'EUR' }, row())).toEqual({
      refundCompletes: true,
    });
    expect(admitMoney('NOTE', { text: 'x' }, row())).toBeUndefined();
  });

  it('refuses decimals (400) and another currency (422) before the machine', () => {
    expect(
      refusal(() => admitMoney('REFUNDED', { amount: '1.001', currency: 'EUR' }, row())),
    ).toMatchObject({ code: 'validation_failed' });
    expect(
      refusal(() => admitMoney('BUYER_REFUNDED', { amount: '1', currency: 'USD' }, row())),
    ).toEqual({ code: 'currency_mismatch', currency: 'EUR' });
  });

  it('holds a supplier refund to what is owed, and refunds to the buyer to the order total', () => {
    expect(
      refusal(() => checkMoneyLimits('REFUNDED', { amount: '15.01', currency: 'EUR' }, row())),
    ).toEqual({ code: 'amount_exceeds_outstanding', outstanding: '15.00', currency: 'EUR' });
    expect(
      refusal(() => checkMoneyLimits('REFUNDED', { amount: '0', currency: 'EUR' }, row())),
    ).toMatchObject({ code: 'amount_exceeds_outstanding' });
    expect(
      refusal(() => checkMoneyLimits('REFUNDED', { amount: '15.00', currency: 'EUR' }, row())),
    ).toBeNull();
    const refunded = row({ buyer_refunded_minor: '2000' });
    expect(
      refusal(() =>
        checkMoneyLimits('BUYER_REFUNDED', { amount: '5.00', currency: 'EUR' }, refunded),
      ),
    ).toBeNull();
    expect(
      refusal(() =>
        checkMoneyLimits('BUYER_REFUNDED', { amount: '5.01', currency: 'EUR' }, refunded),
      ),
    ).toEqual({ code: 'unprocessable', refundable: '5.00', currency: 'EUR' });
  });
});
