import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import request from 'supertest';
import { signPayload } from '../../src/webhooks/signature/webhook-signature';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Every route of the app, as Fastify lists it (so a route added tomorrow is fuzzed too), sent
 * hostile input in its path, query, headers and body: nesting past any limit, huge values,
 * numbers that do not survive parsing, duplicated keys, bytes that are not UTF-8, values of the
 * wrong type. No answer may be a 5xx, and every 4xx must be in the contract's error shape.
 */
const RUNS = 2000;

/** Percent-encoded UTF-8 (a lone surrogate becomes U+FFFD, as any client would send it). */
const encode = (text: string) => encodeURIComponent(Buffer.from(text).toString());

interface Route {
  method: string;
  path: string;
}

/** The routes in `fastify.printRoutes({ commonPrefix: false })`'s tree, HEAD left out. */
function routesOf(tree: string): Route[] {
  const routes: Route[] = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    const path = (depth > 0 ? prefixes[depth - 1] : '') + match[2];
    prefixes[depth] = path;
    for (const method of match[3]?.split(', ') ?? []) {
      if (method !== 'HEAD') routes.push({ method, path });
    }
  }
  return routes;
}

describe('every route under hostile input', () => {
  let t: TestApp;
  let base: string;
  let routes: Route[];
  let ids: string[];
  let shop: { id: string; key: string };
  let factory: { id: string; secret: string };
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    const api = new Api(t.server);
    shop = await api.merchant('Fuzz shop');
    factory = await api.supplier('Fuzz factory');
    caseId = (await api.open(shop.key, factory.id, 'damaged_item', order({ shipped: true })))
      .id as string;
    ids = [shop.id, factory.id, caseId];
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
    routes = routesOf(t.app.getHttpAdapter().getInstance().printRoutes({ commonPrefix: false }));
  });
  afterAll(() => t.close());

  it('lists the routes from the router itself', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /v1/cases',
        'GET /v1/cases',
        'POST /v1/cases/:id/events',
        'GET /v1/cases/:id/timeline',
        'POST /v1/webhooks/suppliers/:supplierId',
        'GET /health',
      ]),
    );
  });

  /** A body each route would take, to be spoiled: unknown routes get `{}`. */
  const sampleBody = (route: Route): Record<string, unknown> => {
    const samples: Record<string, Record<string, unknown>> = {
      'POST /v1/merchants': { name: 'Fuzz', country: 'FR' },
      'POST /v1/suppliers': { name: 'Fuzz', country: 'CN' },
      'POST /v1/suppliers/:id/closures': { from: '2027-01-04', to: '2027-01-05', reason: 'x' },
      'POST /v1/cases': {
        type: 'out_of_stock',
        supplierId: factory.id,
        merchantId: shop.id,
        order: order(),
      },
      'POST /v1/cases/:id/events': { type: 'NOTE', payload: { text: 'fuzz' } },
      'POST /v1/cases/:id/evidence': { kind: 'photo', url: 'https://cdn.example.com/a.jpg' },
      'POST /v1/cases/:id/feedback': { resolved: true, comment: 'ok' },
      'POST /v1/webhooks/suppliers/:supplierId': {
        type: 'message.created',
        caseId,
        data: { text: 'hello' },
      },
      'POST /v1/test-clock': { now: '2027-01-04T10:00:00Z' },
    };
    return structuredClone(samples[`${route.method} ${route.path}`] ?? {});
  };

  const huge = 'x'.repeat(200_000);
  const nastyText = fc.oneof(
    fc.constantFrom(
      '1e400',
      '-1e400',
      '1e-400',
      'NaN',
      'Infinity',
      '-1',
      '0',
      '9007199254740993',
      '',
      ' ',
      'null',
      'true',
      '[]',
      '{}',
      '%00',
      '%FF%FE',
      '..%2F..%2F',
      '00000000-0000-0000-0000-000000000000',
      '------------------------------------',
      '2026-02-30',
      '-100000-01-01T00:00:00.000Z',
      '\u0000',
      '\ud800',
      'x'.repeat(5000),
    ),
    fc
      .constantFrom(...['garbage', '2026-01-01T00:00:00.000Z|' + '-'.repeat(36), '1|2|3'])
      .map((text) => Buffer.from(text).toString('base64url')),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  );

  /** A JSON value of the wrong kind, or far too big. */
  const wrongValue = fc.oneof(
    fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e300, [], {}, [1, 2], { a: { b: 1 } }),
    fc.constantFrom('x'.repeat(20_000), huge, '\u0000'),
    fc.jsonValue({ maxDepth: 3 }),
    nastyText,
  );

  /** Raw JSON text that `JSON.stringify` never writes. */
  const rawFragment = fc.oneof(
    fc
      .tuple(fc.integer({ min: 33, max: 3000 }), fc.boolean())
      .map(([depth, arrays]) =>
        arrays
          ? '['.repeat(depth) + ']'.repeat(depth)
          : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
      ),
    fc.constantFrom(
      '1e400',
      '-1e400',
      '1e-400',
      '-1e-400',
      '123456789012345678901234567890',
      '{"a":1,"a":2}',
      '{"__proto__":{"admin":true}}',
      `[${'0,'.repeat(100_000)}0]`,
    ),
  );

  /** A body: the route's sample spoiled one way or another, or anything at all. */
  const body = (route: Route) =>
    fc.oneof(
      // a field of the wrong type (or added, where the route takes no such field)
      fc.tuple(fc.string({ maxLength: 12 }), wrongValue).map(([field, value]) => {
        const sample = sampleBody(route);
        const keys = Object.keys(sample);
        const key =
          keys.length && field.length % 2 === 0 ? keys[field.length % keys.length] : field;
        return Buffer.from(JSON.stringify({ ...sample, [key]: value }));
      }),
      // raw text in place of a field's value
      fc.tuple(fc.nat(), rawFragment).map(([index, fragment]) => {
        const sample = sampleBody(route);
        const keys = Object.keys(sample);
        const key = keys.length ? keys[index % keys.length] : 'field';
        return Buffer.from(
          JSON.stringify({ ...sample, [key]: '__X__' }).replace('"__X__"', fragment),
        );
      }),
      // a key given twice, the second time with another value
      wrongValue.map((value) => {
        const text = JSON.stringify(sampleBody(route));
        const inner = text === '{}' ? '' : text.slice(1, -1) + ',';
        return Buffer.from(`{${inner}"type":"WITHDRAW","type":${JSON.stringify(value) ?? 1}}`);
      }),
      // bytes that are not UTF-8 inside a string
      fc
        .constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88])
        .map((bytes) => {
          const [head, tail] = JSON.stringify({ ...sampleBody(route), text: '__X__' }).split(
            '__X__',
          );
          return Buffer.concat([Buffer.from(head), Buffer.from(bytes), Buffer.from(tail)]);
        }),
      fc.jsonValue({ maxDepth: 4 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
      fc.constant(Buffer.alloc(0)),
      fc.constant(Buffer.from(JSON.stringify(sampleBody(route)))),
    );

  const pathParam = fc.oneof(
    fc.constantFrom(...[0, 1, 2]).map((i) => () => ids[i]),
    fc.uuid().map((id) => () => id),
    nastyText.map((text) => () => encode(text)),
    fc.constantFrom('%E0%A4%A', '%FF', 'a'.repeat(150)).map((text) => () => text),
  );

  const query = fc.array(
    fc.tuple(
      fc.constantFrom(
        'cursor',
        'limit',
        'after',
        'status',
        'type',
        'from',
        'to',
        'at',
        'since',
        'until',
        'caseId',
        'country',
        'days',
        'format',
        'verify',
        'supplierId',
        'breached',
        'unknown',
      ),
      nastyText,
    ),
    { maxLength: 3 },
  );

  /** Mostly absent, so that most requests get past the gates to the route's own checks. */
  const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
    fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arbitrary });
  const headers = fc.record({
    'content-type': rarely(
      fc.constantFrom(
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'nonsense',
      ),
    ),
    'content-encoding': rarely(fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x, identity')),
    authorization: rarely(
      fc.constantFrom('Bearer rk_live_forged', 'Basic abc', `Bearer ${'k'.repeat(5000)}`),
    ),
    'if-match': rarely(nastyText),
    'idempotency-key': rarely(nastyText),
    'webhook-id': rarely(nastyText),
    'webhook-timestamp': rarely(nastyText),
    'webhook-signature': rarely(nastyText),
    'x-request-id': rarely(nastyText),
  });

  /** One request to one route (built once the app has listed its routes). */
  const requests = () =>
    fc.nat({ max: routes.length - 1 }).chain((index) => {
      const route = routes[index];
      return fc.record({
        route: fc.constant(route),
        params: fc.array(pathParam, { minLength: 4, maxLength: 4 }),
        query,
        headers,
        body: body(route),
        auth: fc.constantFrom('ops', 'ops', 'merchant', 'none'),
        sign: fc.boolean(),
      });
    });

  it(`answers ${RUNS} hostile requests without a 5xx, every 4xx in the error shape`, async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requests(), async (r) => {
        let param = 0;
        const path = r.route.path
          .replace(/:[A-Za-z]+/g, () => r.params[param++]())
          .replace('*', 'x');
        const search = r.query.map(([name, value]) => `${name}=${encode(value)}`).join('&');
        const url = `${path}${search ? `?${search}` : ''}`;
        const hasBody = !['GET', 'HEAD'].includes(r.route.method);
        const sent: Record<string, string> = { 'content-type': 'application/json' };
        if (r.auth === 'ops') sent.authorization = `Bearer ${OPS_KEY}`;
        if (r.auth === 'merchant') sent.authorization = `Bearer ${shop.key}`;
        for (const [name, value] of Object.entries(r.headers)) {
          if (value !== undefined) sent[name] = value.replace(/[^\t\x20-\x7e]/g, '?');
        }
        if (r.sign && r.route.path.startsWith('/v1/webhooks/')) {
          const timestamp = Math.floor(Date.now() / 1000);
          Object.assign(sent, {
            'webhook-id': `msg_${Math.random().toString(36).slice(2)}`,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signPayload(
              factory.secret,
              sent['webhook-id'],
              timestamp,
              r.body.toString('latin1'),
            ),
          });
        }
        let req = request(base)[r.route.method.toLowerCase() as 'post'](url).set(sent);
        if (hasBody) {
          req = req.serialize((bytes: unknown) => bytes as string).send(r.body);
        }
        const res = await req.ok(() => true);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const where =
          `${r.route.method} ${url.slice(0, 200)} ${JSON.stringify(r.body.toString().slice(0, 200))}` +
          ` -> ${res.status} ${res.text?.slice(0, 300)}`;
        if (res.status >= 500) throw new Error(`5xx: ${where}`);
        if (res.status >= 400) {
          const error = res.body as Record<string, unknown>;
          const shaped =
            res.headers['content-type']?.startsWith('application/json') &&
            error.statusCode === res.status &&
            typeof error.error === 'string' &&
            /^[a-z_]+$/.test(error.error) &&
            typeof error.message === 'string' &&
            (res.status !== 400 ||
              (Array.isArray(error.details) &&
                error.details.every(
                  (d: { field?: unknown; problem?: unknown }) =>
                    typeof d.field === 'string' && typeof d.problem === 'string',
                )));
          if (!shaped) throw new Error(`not in the error shape: ${where}`);
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    // The inputs reached past the gates: some were accepted, many refused for their content.
    expect(seen.get(400) ?? 0).toBeGreaterThan(RUNS / 10);
    expect([...seen.keys()].some((status) => status < 300)).toBe(true);
  }, 300_000);
});
