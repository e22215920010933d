import { admitEvent } from './event-admission';

describe('admitEvent', () => {
  it('admits a known event from a role that may send it, with a valid payload', () => {
    expect(admitEvent('NOTE', { kind: 'merchant', id: null }, { text: 'hello' })).toEqual({
      verdict: 'admitted',
      type: 'NOTE',
      payload: { text: 'hello' },
      actor: { kind: 'merchant', id: null },
    });
    expect(admitEvent('WITHDRAW', { kind: 'merchant', id: null }, undefined)).toEqual({
      verdict: 'admitted',
      type: 'WITHDRAW',
      payload: {},
      actor: { kind: 'merchant', id: null },
    });
  });

  it('an unknown event is invalid first, whoever sends it and whatever its payload', () => {
    for (const actor of ['merchant', 'supplier', 'ops', 'system'] as const) {
      expect(admitEvent('TELEPORT', { kind: actor, id: null }, 'not an object')).toEqual({
        verdict: 'invalid',
        problems: [{ field: 'type', problem: 'TELEPORT is not a workflow event' }],
      });
    }
  });

  it('a role that may not send the event is forbidden before its payload is looked at', () => {
    // A bad payload too: the 403 (after the 404) wins over the 400.
    expect(
      admitEvent('REFUNDED', { kind: 'merchant', id: null }, { amount: 'lots' }),
    ).toMatchObject({
      verdict: 'forbidden',
      type: 'REFUNDED',
    });
    expect(admitEvent('TIMER_FIRED', { kind: 'ops', id: null }, {})).toMatchObject({
      verdict: 'forbidden',
    });
    expect(admitEvent('SHIPPED', { kind: 'merchant', id: null }, {})).toMatchObject({
      verdict: 'forbidden',
    });
  });

  it('a bad payload from a role that may send the event is invalid, every field named', () => {
    expect(admitEvent('REFUNDED', { kind: 'supplier', id: null }, { amount: 'lots' })).toEqual({
      verdict: 'invalid',
      problems: [
        { field: 'payload.amount', problem: 'must be a decimal string, e.g. "12.50"' },
        { field: 'payload.currency', problem: 'is required' },
      ],
    });
    expect(admitEvent('NOTE', { kind: 'ops', id: null }, [1, 2])).toEqual({
      verdict: 'invalid',
      problems: [{ field: 'payload', problem: 'must be an object' }],
    });
  });

  it('holds every caller to the input limits: no undefined field, text up to 10,000 characters', () => {
    expect(
      admitEvent('NOTE', { kind: 'supplier', id: null }, { text: 'hi', visibleTo: 'all' }),
    ).toEqual({
      verdict: 'invalid',
      problems: [{ field: 'payload.visibleTo', problem: 'is not a field of NOTE' }],
    });
    expect(
      admitEvent('NOTE', { kind: 'merchant', id: null }, { text: 'x'.repeat(10_001) }),
    ).toEqual({
      verdict: 'invalid',
      problems: [{ field: 'payload.text', problem: 'must be at most 10,000 characters' }],
    });
  });

  it('the scheduler’s TIMER_FIRED is admitted with a known timer kind only', () => {
    expect(
      admitEvent('TIMER_FIRED', { kind: 'system', id: null }, { kind: 'refund_due' }),
    ).toMatchObject({
      verdict: 'admitted',
    });
    expect(
      admitEvent('TIMER_FIRED', { kind: 'system', id: null }, { kind: 'lunch' }),
    ).toMatchObject({
      verdict: 'invalid',
    });
  });

  it('admits a merchant recording a supplier outcome as the supplier, and says so', () => {
    const merchant = { kind: 'merchant' as const, id: 'm1' };
    const proof = '0b1e7f6e-4c1a-4c39-9a53-1d2f0c7e8a10';
    expect(
      admitEvent('VERIFICATION_CONFIRMED', merchant, {
        onBehalfOfSupplier: true,
        proofEvidenceId: proof,
      }),
    ).toEqual({
      verdict: 'admitted',
      type: 'VERIFICATION_CONFIRMED',
      payload: { onBehalfOfSupplier: true, proofEvidenceId: proof },
      actor: { kind: 'merchant', id: 'm1', onBehalfOf: 'supplier' },
    });
    // Without the flag, or with it false: the supplier's event stays forbidden to a merchant.
    expect(admitEvent('VERIFICATION_CONFIRMED', merchant, {})).toMatchObject({
      verdict: 'forbidden',
    });
    expect(
      admitEvent('REFUNDED', merchant, {
        amount: '1.00',
        currency: 'EUR',
        onBehalfOfSupplier: false,
        proofEvidenceId: proof,
      }),
    ).toMatchObject({ verdict: 'forbidden' });
    // With the flag and no proof: 400, naming the field.
    expect(admitEvent('CLEARED', merchant, { onBehalfOfSupplier: true })).toEqual({
      verdict: 'invalid',
      problems: [
        {
          field: 'payload.proofEvidenceId',
          problem:
            'is required with onBehalfOfSupplier: the id of evidence on the case that proves it',
        },
      ],
    });
    // Not every supplier event may be recorded for it: a NOTE is the merchant's own.
    expect(admitEvent('SUPPLIER_REPLIED', merchant, { onBehalfOfSupplier: true })).toMatchObject({
      verdict: 'forbidden',
    });
  });
});
