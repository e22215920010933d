import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import {
  generateWebhookSecret,
  signPayload,
  verifyWebhook,
  VerifyWebhookOptions,
} from './webhook-signature';

// The test vector published with the Standard Webhooks specification (and its reference libraries).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const atSeconds = (s: number) => new Date(s * 1000);

function vectorRequest(overrides: Partial<VerifyWebhookOptions> = {}): VerifyWebhookOptions {
  return {
    secrets: [VECTOR.secret],
    headers: {
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    },
    rawBody: VECTOR.body,
    now: atSeconds(VECTOR.timestamp),
    ...overrides,
  };
}

describe('generateWebhookSecret', () => {
  it('is whsec_ + base64 of 32 random bytes, usable by the standardwebhooks package', () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(() => new Webhook(secret)).not.toThrow();
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});

describe('signPayload', () => {
  it('reproduces the Standard Webhooks test vector', () => {
    expect(signPayload(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(
      VECTOR.signature,
    );
  });

  it('refuses a timestamp that is not whole seconds (the header could not carry it)', () => {
    expect(() => signPayload(VECTOR.secret, VECTOR.id, 1.5, VECTOR.body)).toThrow(RangeError);
  });
});

describe('verifyWebhook', () => {
  it('accepts the test vector and returns its id and timestamp', () => {
    expect(verifyWebhook(vectorRequest())).toEqual({
      ok: true,
      id: VECTOR.id,
      timestamp: VECTOR.timestamp,
    });
  });

  it('accepts a Buffer body and header names in any case', () => {
    const result = verifyWebhook(
      vectorRequest({
        rawBody: Buffer.from(VECTOR.body),
        headers: {
          'Webhook-Id': VECTOR.id,
          'WEBHOOK-TIMESTAMP': String(VECTOR.timestamp),
          'webhook-Signature': VECTOR.signature,
        },
      }),
    );
    expect(result.ok).toBe(true);
  });

  it('refuses a wrong secret', () => {
    expect(verifyWebhook(vectorRequest({ secrets: [generateWebhookSecret()] }))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a tampered body', () => {
    expect(verifyWebhook(vectorRequest({ rawBody: '{"test": 2432232315}' }))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it.each([
    ['301 s old', VECTOR.timestamp + 301, false],
    ['301 s ahead', VECTOR.timestamp - 301, false],
    ['300 s old', VECTOR.timestamp + 300, true],
    ['300 s ahead', VECTOR.timestamp - 300, true],
    ['299 s old', VECTOR.timestamp + 299, true],
    ['299 s ahead', VECTOR.timestamp - 299, true],
  ])('checks the timestamp against the given clock, not the real one: %s', (_, nowSeconds, ok) => {
    const result = verifyWebhook(vectorRequest({ now: atSeconds(nowSeconds) }));
    expect(result).toEqual(
      ok
        ? { ok: true, id: VECTOR.id, timestamp: VECTOR.timestamp }
        : { ok: false, reason: 'timestamp_out_of_tolerance' },
    );
  });

  it('counts fractions of a second: 300.001 s off is more than 5 minutes', () => {
    const now = new Date((VECTOR.timestamp + 300) * 1000 + 1);
    expect(verifyWebhook(vectorRequest({ now }))).toEqual({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
  });

  it('honours another tolerance', () => {
    const now = atSeconds(VECTOR.timestamp + 61);
    expect(verifyWebhook(vectorRequest({ now, toleranceSeconds: 60 })).ok).toBe(false);
    expect(verifyWebhook(vectorRequest({ now, toleranceSeconds: 61 })).ok).toBe(true);
  });

  it('fails closed on an invalid clock', () => {
    expect(verifyWebhook(vectorRequest({ now: new Date(NaN) }))).toEqual({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'refuses without %s',
    (name) => {
      const headers: Record<string, string> = {
        'webhook-id': VECTOR.id,
        'webhook-timestamp': String(VECTOR.timestamp),
        'webhook-signature': VECTOR.signature,
      };
      delete headers[name];
      expect(verifyWebhook(vectorRequest({ headers }))).toEqual({
        ok: false,
        reason: 'missing_headers',
      });
      expect(verifyWebhook(vectorRequest({ headers: { ...headers, [name]: '' } }))).toEqual({
        ok: false,
        reason: 'missing_headers',
      });
    },
  );

  it('refuses an ambiguous id given twice', () => {
    const headers = {
      'webhook-id': [VECTOR.id, 'msg_other'],
      'webhook-timestamp': String(VECTOR.timestamp),
      'webhook-signature': VECTOR.signature,
    };
    expect(verifyWebhook(vectorRequest({ headers })).ok).toBe(false);
  });

  it.each(['abc', '', ' 1614265330', '01614265330', '1614265330.0', '-1', '1e9', '9999999999999'])(
    'refuses a non-canonical timestamp %j',
    (timestamp) => {
      const headers = {
        'webhook-id': VECTOR.id,
        'webhook-timestamp': timestamp,
        'webhook-signature': VECTOR.signature,
      };
      const result = verifyWebhook(vectorRequest({ headers }));
      expect(result).toEqual({
        ok: false,
        reason: timestamp === '' ? 'missing_headers' : 'bad_timestamp',
      });
    },
  );

  it('only counts v1 signatures', () => {
    const signature = VECTOR.signature.replace('v1,', 'v1a,');
    const headers = { ...vectorRequest().headers, 'webhook-signature': signature };
    expect(verifyWebhook(vectorRequest({ headers }))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  describe('secret rotation', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const body = '{"type":"shipment.created"}';
    const ts = 1_700_000_000;
    const request = (signature: string, secrets: string[]): VerifyWebhookOptions => ({
      secrets,
      headers: {
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(ts),
        'webhook-signature': signature,
      },
      rawBody: body,
      now: atSeconds(ts),
    });

    it('accepts a message signed with the old secret while both are active', () => {
      const signature = signPayload(oldSecret, 'msg_1', ts, body);
      expect(verifyWebhook(request(signature, [newSecret, oldSecret])).ok).toBe(true);
      expect(verifyWebhook(request(signature, [newSecret])).ok).toBe(false);
    });

    it('accepts a header with two signatures when one of them is valid', () => {
      const valid = signPayload(newSecret, 'msg_1', ts, body);
      const stale = signPayload(generateWebhookSecret(), 'msg_1', ts, body);
      expect(verifyWebhook(request(`${stale} ${valid}`, [newSecret])).ok).toBe(true);
      expect(verifyWebhook(request(`${valid} ${stale}`, [newSecret])).ok).toBe(true);
      expect(verifyWebhook(request(`${stale}  v1a,xyz ${valid}`, [newSecret])).ok).toBe(true);
      expect(verifyWebhook(request(stale, [newSecret])).ok).toBe(false);
    });

    it('skips a secret that cannot be decoded instead of failing the request', () => {
      const valid = signPayload(newSecret, 'msg_1', ts, body);
      expect(verifyWebhook(request(valid, ['whsec_', 'whsec_!!!', newSecret])).ok).toBe(true);
      expect(verifyWebhook(request(valid, []))).toEqual({ ok: false, reason: 'bad_signature' });
    });
  });

  it('signs the raw bytes of a body that is not UTF-8 (no two bodies share a signature)', () => {
    const secret = generateWebhookSecret();
    const key = Buffer.from(secret.slice(6), 'base64');
    const body = Buffer.from([0x7b, 0xff, 0x7d]);
    const other = Buffer.from([0x7b, 0xfe, 0x7d]); // decodes to the same U+FFFD as `body`
    const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const hmac = createHmac('sha256', key).update('msg_1.100.').update(body).digest('base64');
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': '100',
      'webhook-signature': `v1,${hmac}`,
    };
    const base = { secrets: [secret], headers, now: atSeconds(100) };
    expect(verifyWebhook({ ...base, rawBody: body }).ok).toBe(true);
    expect(verifyWebhook({ ...base, rawBody: other }).ok).toBe(false);
  });

  describe('properties', () => {
    const message = fc.record({
      secret: fc.uint8Array({ minLength: 24, maxLength: 64 }).map(toSecret),
      id: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[\s]/.test(s)),
      timestamp: fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }),
      skew: fc.integer({ min: -300, max: 300 }),
      body: fc.string({ unit: 'binary', maxLength: 200 }),
    });

    function toSecret(bytes: Uint8Array): string {
      return 'whsec_' + Buffer.from(bytes).toString('base64');
    }

    function signed(m: { secret: string; id: string; timestamp: number; body: string }) {
      return {
        'webhook-id': m.id,
        'webhook-timestamp': String(m.timestamp),
        'webhook-signature': signPayload(m.secret, m.id, m.timestamp, m.body),
      };
    }

    it('accepts every well-signed message within the tolerance', () => {
      fc.assert(
        fc.property(message, (m) => {
          const result = verifyWebhook({
            secrets: [m.secret],
            headers: signed(m),
            rawBody: m.body,
            now: atSeconds(m.timestamp + m.skew),
          });
          expect(result).toEqual({ ok: true, id: m.id, timestamp: m.timestamp });
        }),
        { numRuns: 300 },
      );
    });

    /** One change to one part of a signed message; each arbitrary yields a changed message. */
    type Mutation =
      | { part: 'body'; value: string }
      | { part: 'webhook-id' | 'webhook-timestamp' | 'webhook-signature'; edit: Edit }
      | { part: 'secret'; index: number; delta: number };
    type Edit =
      | { kind: 'replace'; value: string }
      | { kind: 'flip'; index: number; char: string }
      | { kind: 'append'; text: string }
      | { kind: 'truncate'; keep: number };

    const edit: fc.Arbitrary<Edit> = fc.oneof(
      fc.record({ kind: fc.constant('replace' as const), value: fc.string({ maxLength: 60 }) }),
      fc.record({
        kind: fc.constant('flip' as const),
        index: fc.nat(),
        char: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      }),
      fc.record({
        kind: fc.constant('append' as const),
        // A space would start a new list entry and leave the genuine signature intact.
        text: fc
          .string({ unit: 'binary', minLength: 1, maxLength: 4 })
          .filter((s) => !s.startsWith(' ')),
      }),
      fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
    );

    const mutation: fc.Arbitrary<Mutation> = fc.oneof(
      fc.record({
        part: fc.constant('body' as const),
        value: fc.string({ unit: 'binary', maxLength: 200 }),
      }),
      fc.record({
        part: fc.constantFrom(
          'webhook-id' as const,
          'webhook-timestamp' as const,
          'webhook-signature' as const,
        ),
        edit,
      }),
      fc.record({
        part: fc.constant('secret' as const),
        index: fc.nat(),
        delta: fc.integer({ min: 1, max: 255 }),
      }),
    );

    function applyEdit(original: string, e: Edit): string {
      switch (e.kind) {
        case 'replace':
          return e.value;
        case 'flip': {
          const i = e.index % original.length;
          return original.slice(0, i) + e.char + original.slice(i + 1);
        }
        case 'append':
          return original + e.text;
        case 'truncate':
          return original.slice(0, e.keep % original.length);
      }
    }

    it('never accepts a message whose body, id, timestamp, signature or secret was changed', () => {
      fc.assert(
        fc.property(message, mutation, (m, change) => {
          const headers: Record<string, string> = signed(m);
          let body = m.body;
          let secret = m.secret;
          if (change.part === 'body') {
            fc.pre(change.value !== m.body);
            body = change.value;
          } else if (change.part === 'secret') {
            // One byte of the key changed, its length kept: HMAC pads short keys with zero bytes, so
            // a key with zeros appended is the same key, not a mutation.
            const key = Buffer.from(m.secret.slice('whsec_'.length), 'base64');
            key[change.index % key.length] = (key[change.index % key.length] + change.delta) % 256;
            secret = toSecret(key);
          } else {
            const mutated = applyEdit(headers[change.part], change.edit);
            fc.pre(mutated !== headers[change.part]);
            headers[change.part] = mutated;
          }
          const result = verifyWebhook({
            secrets: [secret],
            headers,
            rawBody: body,
            now: atSeconds(m.timestamp + m.skew),
          });
          expect(result.ok).toBe(false);
        }),
        { numRuns: 1000 },
      );
    });

    it('never accepts a changed byte of a binary body', () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 1, maxLength: 100 }),
          fc.nat(),
          fc.integer({ min: 1, max: 255 }),
          (bytes, at, delta) => {
            const secret = toSecret(new Uint8Array(32).fill(7));
            const body = Buffer.from(bytes);
            const { createHmac } = jest.requireActual<typeof import('node:crypto')>('node:crypto');
            const key = Buffer.from(secret.slice(6), 'base64');
            const mac = createHmac('sha256', key).update('m.1.').update(body).digest('base64');
            const tampered = Buffer.from(body);
            tampered[at % body.length] = (tampered[at % body.length] + delta) % 256;
            const opts = {
              secrets: [secret],
              headers: {
                'webhook-id': 'm',
                'webhook-timestamp': '1',
                'webhook-signature': `v1,${mac}`,
              },
              now: atSeconds(1),
            };
            expect(verifyWebhook({ ...opts, rawBody: body }).ok).toBe(true);
            expect(verifyWebhook({ ...opts, rawBody: tampered }).ok).toBe(false);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('never throws on hostile input', () => {
      fc.assert(
        fc.property(
          fc.anything(),
          fc.anything(),
          fc.anything(),
          fc.anything(),
          (headers, secrets, rawBody, now) => {
            const result = verifyWebhook({
              headers,
              secrets,
              rawBody,
              now,
            } as unknown as VerifyWebhookOptions);
            expect(result.ok).toBe(false);
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});
