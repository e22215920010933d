import { admitEvent } from './event-admission';

describe('admitEvent', () => {
  it('admits a known event from a role that may send it, with a valid payload', () => {
    expect(admitEvent('NOTE', 'merchant', { text: 'hello' })).toEqual({
      verdict: 'admitted',
      type: 'NOTE',
      payload: { text: 'hello' },
    });
    expect(admitEvent('WITHDRAW', 'merchant', undefined)).toEqual({
      verdict: 'admitted',
      type: 'WITHDRAW',
      payload: {},
    });
  });

  it('an unknown event is invalid first, whoever sends it and whatever its payload', () => {
    for (const actor of ['merchant', 'supplier', 'ops', 'system'] as const) {
      expect(admitEvent('TELEPORT', actor, 'not an object')).toEqual({
        verdict: 'invalid',
        problems: [{ field: 'type', problem: 'TELEPORT is not a workflow event' }],
      });
    }
  });

  it('a role that may not send the event is forbidden before its payload is looked at', () => {
    // A bad payload too: the 403 (after the 404) wins over the 400.
    expect(admitEvent('REFUNDED', 'merchant', { amount: 'lots' })).toMatchObject({
      verdict: 'forbidden',
      type: 'REFUNDED',
    });
    expect(admitEvent('TIMER_FIRED', 'ops', {})).toMatchObject({ verdict: 'forbidden' });
    expect(admitEvent('SHIPPED', 'merchant', {})).toMatchObject({ verdict: 'forbidden' });
  });

  it('a bad payload from a role that may send the event is invalid, every field named', () => {
    expect(admitEvent('REFUNDED', 'supplier', { amount: 'lots' })).toEqual({
      verdict: 'invalid',
      problems: [
        { field: 'payload.amount', problem: 'must be a decimal string, e.g. "12.50"' },
        { field: 'payload.currency', problem: 'is required' },
      ],
    });
    expect(admitEvent('NOTE', 'ops', [1, 2])).toEqual({
      verdict: 'invalid',
      problems: [{ field: 'payload', problem: 'must be an object' }],
    });
  });

  it('holds every caller to the input limits: no undefined field, text up to 10,000 characters', () => {
    expect(admitEvent('NOTE', 'supplier', { text: 'hi', visibleTo: 'all' })).toEqual({
      verdict: 'invalid',
      problems: [{ field: 'payload.visibleTo', problem: 'is not a field of NOTE' }],
    });
    expect(admitEvent('NOTE', 'merchant', { text: 'x'.repeat(10_001) })).toEqual({
      verdict: 'invalid',
      problems: [{ field: 'payload.text', problem: 'must be at most 10,000 characters' }],
    });
  });

  it('the scheduler’s TIMER_FIRED is admitted with a known timer kind only', () => {
    expect(admitEvent('TIMER_FIRED', 'system', { kind: 'refund_due' })).toMatchObject({
      verdict: 'admitted',
    });
    expect(admitEvent('TIMER_FIRED', 'system', { kind: 'lunch' })).toMatchObject({
      verdict: 'invalid',
    });
  });
});
