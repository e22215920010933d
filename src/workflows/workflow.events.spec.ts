import {
  ALL_EVENTS,
  isKnownEvent,
  isSupplierEvent,
  maySend,
  requiredPayloadFields,
  validateEventPayload,
} from './workflow.events';
import { SAMPLE_PAYLOADS } from './workflow.examples';

describe('maySend', () => {
  it.each([
    [
      'merchant',
      [
        'WITHDRAW',
        'NOTE',
        'REQUEST_REFUND',
        'SWITCH_SUPPLIER',
        'SUBMIT_EVIDENCE',
        'CHOOSE_RESOLUTION',
        'APPEAL',
        'ACCEPT_REJECTION',
        'ADDRESS_CORRECTED',
      ],
    ],
    [
      'supplier',
      [
        'NOTE',
        'SHIPPED',
        'SUPPLIER_REPLIED',
        'VERIFICATION_CONFIRMED',
        'VERIFICATION_REJECTED',
        'REFUNDED',
        'RESHIPPED',
        'INTERCEPTED',
        'INTERCEPTION_FAILED',
        'CLEARED',
        'RETURNED_TO_SENDER',
        'ADDRESS_CORRECTED',
      ],
    ],
    ['ops', ALL_EVENTS.filter((e) => e !== 'TIMER_FIRED')],
    ['system', ['TIMER_FIRED', 'ESCALATE']],
  ] as const)('%s sends exactly its events', (actor, events) => {
    expect(ALL_EVENTS.filter((event) => maySend(actor, event)).sort()).toEqual([...events].sort());
  });

  it('nobody sends an unknown event, and an unknown actor sends nothing', () => {
    expect(maySend('ops', 'TELEPORT')).toBe(false);
    expect(maySend('buyer' as never, 'NOTE')).toBe(false);
    expect(maySend('toString' as never, 'NOTE')).toBe(false);
  });
});

describe('isKnownEvent', () => {
  it('knows the 24 events of the spec', () => {
    expect(ALL_EVENTS).toHaveLength(24);
    expect(isKnownEvent('APPEAL')).toBe(true);
    expect(isKnownEvent('appeal')).toBe(false);
  });
});

describe('isSupplierEvent', () => {
  it('is anything the supplier sends, and the supplier’s own events relayed by ops', () => {
    expect(isSupplierEvent('supplier', 'NOTE')).toBe(true);
    expect(isSupplierEvent('ops', 'SHIPPED')).toBe(true);
    expect(isSupplierEvent('ops', 'NOTE')).toBe(false);
    expect(isSupplierEvent('ops', 'ADDRESS_CORRECTED')).toBe(false);
    expect(isSupplierEvent('merchant', 'ADDRESS_CORRECTED')).toBe(false);
  });
});

describe('validateEventPayload', () => {
  it('accepts every sample payload and events without required fields', () => {
    for (const event of ALL_EVENTS) {
      const payload = event === 'TIMER_FIRED' ? { kind: 'late_2d' } : SAMPLE_PAYLOADS[event];
      expect(validateEventPayload(event, payload)).toEqual([]);
    }
    expect(validateEventPayload('WITHDRAW', undefined)).toEqual([]);
    expect(validateEventPayload('REQUEST_REFUND', { anything: 1 })).toEqual([]);
  });

  it.each([
    ['NOTE', undefined, ['payload.text']],
    ['NOTE', { text: '   ' }, ['payload.text']],
    ['ESCALATE', {}, ['payload.reason']],
    ['FORCE_RESHIP', {}, ['payload.trackingNumber']],
    ['FORCE_CLOSE', { reason: 3 }, ['payload.reason']],
    ['SWITCH_SUPPLIER', { supplierId: 'sup_2' }, ['payload.orderRef']],
    ['SWITCH_SUPPLIER', {}, ['payload.supplierId', 'payload.orderRef']],
    ['REFUNDED', { amount: 12.5, currency: 'EUR' }, ['payload.amount']],
    ['REFUNDED', { amount: '-1', currency: 'euro' }, ['payload.amount', 'payload.currency']],
    ['SHIPPED', { trackingNumber: '' }, ['payload.trackingNumber']],
    ['RESHIPPED', null, ['payload.trackingNumber']],
    ['SUPPLIER_REPLIED', {}, ['payload.text']],
    ['VERIFICATION_REJECTED', {}, ['payload.reason']],
    ['CHOOSE_RESOLUTION', { resolution: 'replace' }, ['payload.resolution']],
    ['TIMER_FIRED', { kind: 'soon' }, ['payload.kind']],
  ])('%s %j -> problems with %j', (event, payload, fields) => {
    const problems = validateEventPayload(event, payload);

    expect(problems.map((p) => p.field)).toEqual(fields);
    for (const p of problems) expect(p.problem).toEqual(expect.any(String));
  });

  it('says what is wrong', () => {
    expect(validateEventPayload('REFUNDED', { currency: 'EUR' })).toEqual([
      { field: 'payload.amount', problem: 'is required' },
    ]);
    expect(validateEventPayload('NOTE', 'hello')).toEqual([
      { field: 'payload', problem: 'must be an object' },
    ]);
  });

  it('lists required fields', () => {
    expect(requiredPayloadFields('REFUNDED')).toEqual(['amount', 'currency']);
    expect(requiredPayloadFields('WITHDRAW')).toEqual([]);
  });
});
