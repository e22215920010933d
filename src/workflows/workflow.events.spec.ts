import {
  ALL_EVENTS,
  eventPayloadSchema,
  isKnownEvent,
  isSupplierEvent,
  maySend,
  MAX_PAYLOAD_BYTES,
  MAX_TEXT_CHARS,
  optionalPayloadFields,
  requiredPayloadFields,
  validateEventPayload,
} from './workflow.events';
import Ajv from 'ajv';
import { SAMPLE_PAYLOADS } from './workflow.examples';

describe('maySend', () => {
  it.each([
    [
      'merchant',
      [
        'WITHDRAW',
        'NOTE',
        'MESSAGE',
        'REQUEST_REFUND',
        'SWITCH_SUPPLIER',
        'SUBMIT_EVIDENCE',
        'CHOOSE_RESOLUTION',
        'APPEAL',
        'ACCEPT_REJECTION',
        'ADDRESS_CORRECTED',
        'FOUND',
        'DECLARED_LOST',
        'RESPONSE_SUBMITTED',
        'DISPUTE_WON',
        'DISPUTE_LOST',
        'DISPUTE_ACCEPTED',
        'BUYER_CONTACTED',
        'BUYER_ANSWERED',
        'ACCEPT_PARTIAL',
        'BUYER_REFUNDED',
      ],
    ],
    [
      'supplier',
      [
        'NOTE',
        'MESSAGE',
        'ACKNOWLEDGED',
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
        'FOUND',
        'DELIVERED',
        'DECLARED_LOST',
      ],
    ],
    ['ops', ALL_EVENTS.filter((e) => e !== 'TIMER_FIRED')],
    ['system', ['TIMER_FIRED', 'ESCALATE', 'DELIVERED', 'CUSTOMS_HELD', 'DECLARED_LOST']],
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
  it('knows the 39 events of the specs', () => {
    expect(ALL_EVENTS).toHaveLength(39);
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
    expect(validateEventPayload('WITHDRAW', { reason: 'Solved by phone' })).toEqual([]);
    expect(validateEventPayload('SHIPPED', { trackingNumber: 'T1', carrier: 'DHL' })).toEqual([]);
  });

  it('refuses the fields an event does not define', () => {
    expect(validateEventPayload('REQUEST_REFUND', { anything: 1 })).toEqual([
      { field: 'payload.anything', problem: 'is not a field of REQUEST_REFUND' },
    ]);
    expect(validateEventPayload('NOTE', { text: 'hi', type: 'WITHDRAW' })).toEqual([
      { field: 'payload.type', problem: 'is not a field of NOTE' },
    ]);
    expect(validateEventPayload('WITHDRAW', { reason: 7 })).toEqual([
      { field: 'payload.reason', problem: 'must be a non-empty string' },
    ]);
  });

  it('takes text up to 10,000 characters, counted as a reader does', () => {
    expect(validateEventPayload('NOTE', { text: 'x'.repeat(MAX_TEXT_CHARS) })).toEqual([]);
    // 10,000 emoji are 20,000 UTF-16 units but 10,000 characters.
    expect(validateEventPayload('NOTE', { text: '\u{1F4E6}'.repeat(MAX_TEXT_CHARS) })).toEqual([]);
    expect(validateEventPayload('NOTE', { text: 'x'.repeat(MAX_TEXT_CHARS + 1) })).toEqual([
      { field: 'payload.text', problem: 'must be at most 10,000 characters' },
    ]);
    expect(
      validateEventPayload('NOTE', { text: '\u{1F4E6}'.repeat(MAX_TEXT_CHARS) + 'x' }),
    ).toEqual([{ field: 'payload.text', problem: 'must be at most 10,000 characters' }]);
  });

  it('takes a whole payload up to 64 KiB as JSON', () => {
    // Each control character is written \u0001 (6 bytes) in JSON: two full fields pass 64 KiB.
    const heavy = '\u0001'.repeat(MAX_TEXT_CHARS);
    const payload = { supplierId: heavy, orderRef: heavy };
    expect(JSON.stringify(payload).length).toBeGreaterThan(MAX_PAYLOAD_BYTES);
    expect(validateEventPayload('SWITCH_SUPPLIER', payload)).toEqual([
      { field: 'payload', problem: 'must be at most 64 KiB as JSON' },
    ]);
    expect(validateEventPayload('SWITCH_SUPPLIER', { ...payload, orderRef: 'PO-2' })).toEqual([]);
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
    expect(optionalPayloadFields('WITHDRAW')).toEqual(['reason']);
  });
});

describe('eventPayloadSchema (the OpenAPI document’s payloads)', () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const events = ALL_EVENTS.filter((type) => SAMPLE_PAYLOADS[type] !== undefined);

  it.each(events)('%s: the schema lists the fields the rules define, no other', (type) => {
    const schema = eventPayloadSchema(type);
    expect(schema.required ?? []).toEqual(requiredPayloadFields(type));
    expect(Object.keys(schema.properties as object).sort()).toEqual(
      [...requiredPayloadFields(type), ...optionalPayloadFields(type)].sort(),
    );
    expect(schema.additionalProperties).toBe(false);
  });

  it.each(events)('%s: the schema and the rules agree on the sample and on bad values', (type) => {
    const validate = ajv.compile(eventPayloadSchema(type));
    const sample = SAMPLE_PAYLOADS[type]!;
    expect([validate(sample), validateEventPayload(type, sample)]).toEqual([true, []]);
    for (const field of [...requiredPayloadFields(type), ...optionalPayloadFields(type)]) {
      const bad = { ...sample, [field]: 12345 };
      expect(validate(bad)).toBe(false);
      expect(validateEventPayload(type, bad)).not.toEqual([]);
    }
    const unknown = { ...sample, notAField: 'x' };
    expect([validate(unknown), validateEventPayload(type, unknown).length > 0]).toEqual([
      false,
      true,
    ]);
  });
});
