import request from 'supertest';
import { Api, OPS_KEY } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

type Caller =
  | 'merchant'
  | 'otherMerchant'
  | 'supplierKey'
  | 'otherSupplierKey'
  | 'ops'
  | 'link'
  | 'otherLink'
  | 'none';
const CALLERS: Caller[] = [
  'merchant',
  'otherMerchant',
  'supplierKey',
  'otherSupplierKey',
  'ops',
  'link',
  'otherLink',
  'none',
];

/**
 * collaboration.md "Parties and access", as a matrix: every route this part adds (and the case
 * routes a supplier key may use) against every kind of caller, with the exact status, and no
 * cross-tenant request ever answered 2xx. Case A belongs to merchant M and supplier S; case B to
 * merchant M2 and supplier S2. A link's token is no API key (401 as a bearer).
 */
describe('who may do what to a case (authorization matrix)', () => {
  let t: TestApp;
  let api: Api;
  let caseA: string;
  let caseB: string;
  const bearer: Partial<Record<Caller, string>> = {};
  const token: { a: string; b: string } = { a: '', b: '' };
  let sent = 0;

  beforeAll(async () => {
    // Each request from an address of its own (behind a trusted proxy): the 401s this matrix
    // expects must not add up to the failed-authentication limit (429) of one address.
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, trustProxy: 1 });
    api = new Api(t.server);
    const m = await api.merchant('Matrix M');
    const m2 = await api.merchant('Matrix M2');
    const s = await api.supplier('Matrix S');
    const s2 = await api.supplier('Matrix S2');
    const keyOf = async (supplierId: string) =>
      (await api.post(`/v1/suppliers/${supplierId}/api-keys`, OPS_KEY, {}).expect(201)).body
        .key as string;
    caseA = (await api.open(m.key, s.id, 'late_shipment')).id;
    caseB = (await api.open(m2.key, s2.id, 'late_shipment')).id;
    token.a = (
      await api.post(`/v1/cases/${caseA}/supplier-link`, m.key, {}).expect(201)
    ).body.token;
    token.b = (
      await api.post(`/v1/cases/${caseB}/supplier-link`, m2.key, {}).expect(201)
    ).body.token;
    Object.assign(bearer, {
      merchant: m.key,
      otherMerchant: m2.key,
      supplierKey: await keyOf(s.id),
      otherSupplierKey: await keyOf(s2.id),
      ops: OPS_KEY,
      link: token.a,
      otherLink: token.b,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Callers that are not case A's parties (nor ops): none of them may ever get a 2xx on it. */
  const outsiders: Caller[] = ['otherMerchant', 'otherSupplierKey', 'otherLink', 'none'];

  function send(method: 'GET' | 'POST' | 'DELETE', path: string, caller: Caller, body?: object) {
    const verb = method === 'GET' ? 'get' : method === 'POST' ? 'post' : 'delete';
    sent += 1;
    const agent = request(t.server);
    let req = agent[verb](path).set('x-forwarded-for', `10.0.${sent >> 8}.${sent & 255}`);
    const key = bearer[caller];
    if (key) req = req.set('authorization', `Bearer ${key}`);
    return body ? req.send(body) : req;
  }

  const keyRoutes: {
    name: string;
    method: 'GET' | 'POST' | 'DELETE';
    path: () => string;
    body?: object;
    expected: Record<Caller, number>;
  }[] = [
    {
      name: 'GET /v1/cases/:id',
      method: 'GET',
      path: () => `/v1/cases/${caseA}`,
      expected: expect200(),
    },
    {
      name: 'GET /v1/cases/:id/timeline',
      method: 'GET',
      path: () => `/v1/cases/${caseA}/timeline`,
      expected: expect200(),
    },
    {
      name: 'POST /v1/cases/:id/events (NOTE)',
      method: 'POST',
      path: () => `/v1/cases/${caseA}/events`,
      body: { type: 'NOTE', payload: { text: 'matrix' } },
      expected: expect200(),
    },
    {
      name: 'POST /v1/cases/:id/messages',
      method: 'POST',
      path: () => `/v1/cases/${caseA}/messages`,
      body: { text: 'matrix' },
      expected: { ...expect200(), merchant: 201, supplierKey: 201, ops: 201 },
    },
    {
      name: 'GET /v1/cases/:id/messages',
      method: 'GET',
      path: () => `/v1/cases/${caseA}/messages`,
      expected: expect200(),
    },
    {
      name: 'POST /v1/cases/:id/supplier-link',
      method: 'POST',
      path: () => `/v1/cases/${caseA}/supplier-link`,
      body: {},
      expected: linkAdmin(201),
    },
  ];

  it.each(keyRoutes.map((r) => [r.name, r] as const))('%s', async (_name, route) => {
    const got: Partial<Record<Caller, number>> = {};
    for (const caller of CALLERS) {
      got[caller] = (await send(route.method, route.path(), caller, route.body)).status;
    }
    expect(got).toEqual(route.expected);
    for (const caller of outsiders) expect(got[caller]).toBeGreaterThanOrEqual(400);
  });

  it('GET /v1/cases lists case A to its merchant, its supplier and ops only', async () => {
    const got: Partial<Record<Caller, number | boolean>> = {};
    for (const caller of CALLERS) {
      const res = await send('GET', '/v1/cases?limit=200', caller);
      got[caller] =
        res.status === 200
          ? res.body.items.some((c: { id: string }) => c.id === caseA)
          : res.status;
    }
    expect(got).toEqual({
      merchant: true,
      otherMerchant: false,
      supplierKey: true,
      otherSupplierKey: false,
      ops: true,
      link: 401,
      otherLink: 401,
      none: 401,
    });
  });

  it("the portal routes answer only a link's own case; a key opens no portal", async () => {
    const unknown = 'B'.repeat(43);
    const portalRoutes = [
      { method: 'GET' as const, path: (tok: string) => `/v1/portal/${tok}`, ok: 200 },
      {
        method: 'POST' as const,
        path: (tok: string) => `/v1/portal/${tok}/events`,
        body: { type: 'NOTE', payload: { text: 'via link' } },
        ok: 200,
      },
      {
        method: 'POST' as const,
        path: (tok: string) => `/v1/portal/${tok}/messages`,
        body: { text: 'via link' },
        ok: 201,
      },
      { method: 'GET' as const, path: (tok: string) => `/s/${tok}`, ok: 200 },
    ];
    for (const route of portalRoutes) {
      const got: Partial<Record<Caller, number>> = {};
      for (const caller of CALLERS) {
        // A link holder uses its own token; a key holder has none (an unknown token, its key sent).
        const tok = caller === 'link' ? token.a : caller === 'otherLink' ? token.b : unknown;
        const res = await send(route.method, route.path(tok), caller, route.body);
        got[caller] = res.status;
        if (res.status === 200 && route.path(tok).startsWith('/v1/')) {
          expect(res.body.caseId).toBe(caller === 'link' ? caseA : caseB);
        }
        if (res.status === 201) expect(res.body.seq).toBeGreaterThan(0);
      }
      expect({ route: route.path(':token'), got }).toEqual({
        route: route.path(':token'),
        got: {
          merchant: 404,
          otherMerchant: 404,
          supplierKey: 404,
          otherSupplierKey: 404,
          ops: 404,
          link: route.ok,
          otherLink: route.ok,
          none: 404,
        },
      });
    }
    // Nothing sent through B's link reached case A.
    const entries = (await api.timeline(OPS_KEY, caseA)).body.events as {
      actor: { id: string | null };
    }[];
    const bSupplier = (await api.get(`/v1/cases/${caseB}`, OPS_KEY)).body.supplierId;
    expect(entries.some((e) => e.actor.id === bSupplier)).toBe(false);
  });

  it('DELETE /v1/cases/:id/supplier-link', async () => {
    const got: Partial<Record<Caller, number>> = {};
    // The refused callers first, each followed by a check that the link still works.
    for (const caller of [...outsiders, 'supplierKey', 'link', 'merchant', 'ops'] as Caller[]) {
      got[caller] = (await send('DELETE', `/v1/cases/${caseA}/supplier-link`, caller)).status;
      if (outsiders.includes(caller) || caller === 'supplierKey' || caller === 'link') {
        // Still live after a refused revocation.
        expect((await api.get(`/v1/portal/${token.a}`, null)).status).toBe(200);
      }
    }
    expect(got).toEqual(linkAdmin(204));
    expect((await api.get(`/v1/portal/${token.a}`, null)).status).toBe(404);
    expect((await api.get(`/v1/portal/${token.b}`, null)).status).toBe(200);
  });
});

/** A case route a supplier key may use: the case's parties and ops 200, others 404, no key 401. */
function expect200(): Record<Caller, number> {
  return {
    merchant: 200,
    otherMerchant: 404,
    supplierKey: 200,
    otherSupplierKey: 404,
    ops: 200,
    link: 401,
    otherLink: 401,
    none: 401,
  };
}

/** Making or revoking links: the case's merchant and ops; supplier keys 403 (the role). */
function linkAdmin(ok: number): Record<Caller, number> {
  return {
    merchant: ok,
    otherMerchant: 404,
    supplierKey: 403,
    otherSupplierKey: 403,
    ops: ok,
    link: 401,
    otherLink: 401,
    none: 401,
  };
}
