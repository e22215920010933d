import fc from 'fast-check';
import { Api, dateIn, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

type Step =
  | { as: 'merchant' | 'ops' | 'supplier'; event: string; payload?: Record<string, unknown> }
  | { evidence: string }
  | {
      expect: number;
      error: string;
      as: 'merchant' | 'ops' | 'supplier';
      event: string;
      payload?: Record<string, unknown>;
    };

const REFUND = { amount: '39.98', currency: 'EUR' };
const shipped = order({ shipped: true });
const domestic = order({ shipped: true, origin: 'FR', destination: 'FR' });
const claim = (type: string) => [
  [
    type,
    'reshipped',
    shipped,
    [
      { evidence: 'photo' },
      { as: 'merchant', event: 'SUBMIT_EVIDENCE' },
      { as: 'supplier', event: 'VERIFICATION_CONFIRMED' },
      { as: 'supplier', event: 'RESHIPPED', payload: { trackingNumber: 'TRK-NEW' } },
    ],
  ],
  [
    type,
    'refunded',
    shipped,
    [
      { evidence: 'video' },
      { as: 'merchant', event: 'CHOOSE_RESOLUTION', payload: { resolution: 'refund' } },
      { as: 'merchant', event: 'SUBMIT_EVIDENCE' },
      { as: 'supplier', event: 'VERIFICATION_CONFIRMED' },
      { as: 'supplier', event: 'REFUNDED', payload: REFUND },
    ],
  ],
  [
    type,
    'rejected',
    shipped,
    [
      { evidence: 'photo' },
      { as: 'merchant', event: 'SUBMIT_EVIDENCE' },
      { as: 'supplier', event: 'VERIFICATION_REJECTED', payload: { reason: 'no defect visible' } },
      { as: 'merchant', event: 'ACCEPT_REJECTION' },
    ],
  ],
  [
    type,
    'rejected',
    shipped,
    [
      { expect: 409, error: 'evidence_required', as: 'merchant', event: 'SUBMIT_EVIDENCE' },
      { evidence: 'document' },
      { expect: 409, error: 'evidence_required', as: 'merchant', event: 'SUBMIT_EVIDENCE' },
      { evidence: 'photo' },
      { as: 'merchant', event: 'SUBMIT_EVIDENCE' },
      { as: 'supplier', event: 'VERIFICATION_REJECTED', payload: { reason: 'blurry' } },
      { expect: 409, error: 'evidence_required', as: 'merchant', event: 'APPEAL' },
      { evidence: 'photo' },
      { as: 'merchant', event: 'APPEAL' },
      { as: 'supplier', event: 'VERIFICATION_REJECTED', payload: { reason: 'still blurry' } },
      { evidence: 'photo' },
      { expect: 409, error: 'invalid_transition', as: 'merchant', event: 'APPEAL' },
      { as: 'merchant', event: 'ACCEPT_REJECTION' },
    ],
  ],
];

/** Each case type walked through HTTP to each of its outcomes (timer outcomes: deadlines spec). */
const PATHS: [string, string, ReturnType<typeof order>, Step[]][] = [
  [
    'out_of_stock',
    'refunded',
    order(),
    [
      { as: 'merchant', event: 'REQUEST_REFUND' },
      { as: 'supplier', event: 'REFUNDED', payload: REFUND },
    ],
  ],
  [
    'out_of_stock',
    'supplier_switched',
    order(),
    [
      {
        as: 'merchant',
        event: 'SWITCH_SUPPLIER',
        payload: { supplierId: 'other-supplier', orderRef: 'PO-2' },
      },
      { as: 'supplier', event: 'REFUNDED', payload: REFUND },
    ],
  ],
  ['out_of_stock', 'withdrawn', order(), [{ as: 'merchant', event: 'WITHDRAW' }]],
  [
    'out_of_stock',
    'force_closed',
    order(),
    [
      {
        expect: 403,
        error: 'forbidden',
        as: 'merchant',
        event: 'ESCALATE',
        payload: { reason: 'x' },
      },
      { as: 'ops', event: 'ESCALATE', payload: { reason: 'supplier silent' } },
      { as: 'ops', event: 'FORCE_CLOSE', payload: { reason: 'duplicate case' } },
    ],
  ],
  ['oversize', 'refunded', order(), [{ as: 'supplier', event: 'REFUNDED', payload: REFUND }]],
  [
    'oversize',
    'reshipped',
    order(),
    [
      { as: 'ops', event: 'ESCALATE', payload: { reason: 'stuck' } },
      { as: 'ops', event: 'FORCE_RESHIP', payload: { trackingNumber: 'TRK-OPS' } },
    ],
  ],
  [
    'late_shipment',
    'shipped',
    order(),
    [{ as: 'supplier', event: 'SHIPPED', payload: { trackingNumber: 'T1' } }],
  ],
  [
    'late_shipment',
    'refunded',
    order({ promisedShipBy: dateIn(-6) }),
    [
      { as: 'merchant', event: 'REQUEST_REFUND' },
      { as: 'supplier', event: 'REFUNDED', payload: REFUND },
    ],
  ],
  [
    // Version 2: the reply moves to supplier_replied, where the merchant decides.
    'unresponsive_supplier',
    'withdrawn',
    order(),
    [
      { as: 'supplier', event: 'SUPPLIER_REPLIED', payload: { text: 'on it' } },
      { as: 'merchant', event: 'WITHDRAW', payload: { reason: 'solved' } },
    ],
  ],
  [
    'unresponsive_supplier',
    // money.md: a forced refund moves no supplier money.
    'written_off',
    order(),
    [
      { as: 'merchant', event: 'REQUEST_REFUND' },
      { as: 'ops', event: 'ESCALATE', payload: { reason: 'slow refund' } },
      { as: 'ops', event: 'FORCE_REFUND' },
    ],
  ],
  ['customs_delay', 'cleared', shipped, [{ as: 'supplier', event: 'CLEARED' }]],
  [
    'customs_delay',
    'refunded',
    shipped,
    [
      { as: 'supplier', event: 'RETURNED_TO_SENDER' },
      { as: 'supplier', event: 'REFUNDED', payload: REFUND },
    ],
  ],
  ...(claim('wrong_item') as typeof PATHS),
  ...(claim('missing_item') as typeof PATHS),
  ...(claim('damaged_item') as typeof PATHS),
  ['address_error', 'address_corrected', order(), [{ as: 'merchant', event: 'ADDRESS_CORRECTED' }]],
  ['address_error', 'refunded', order(), [{ as: 'supplier', event: 'REFUNDED', payload: REFUND }]],
  ['address_error', 'ineligible', shipped, []],
  [
    'address_error',
    'intercepted_refunded',
    domestic,
    [
      { as: 'supplier', event: 'INTERCEPTED' },
      { as: 'supplier', event: 'REFUNDED', payload: REFUND },
    ],
  ],
  [
    'buyer_cancellation',
    'not_intercepted',
    domestic,
    [{ as: 'supplier', event: 'INTERCEPTION_FAILED' }],
  ],
  [
    'buyer_cancellation',
    'refunded',
    order(),
    [{ as: 'supplier', event: 'REFUNDED', payload: REFUND }],
  ],
  ['buyer_cancellation', 'ineligible', shipped, []],
];

describe('cases through HTTP', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let rival: { id: string; key: string };
  let factory: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
    shop = await api.merchant('Shop');
    rival = await api.merchant('Rival');
    factory = await api.supplier('Factory');
  });
  afterAll(() => t.close());

  it.each(PATHS)('%s reaches outcome %s', async (type, outcome, orderSnapshot, steps) => {
    const opened = await api.open(shop.key, factory.id, type, {
      ...orderSnapshot,
      ref: `R-${Math.random()}`,
    });
    expect(opened).toMatchObject({
      type,
      merchantId: shop.id,
      supplierId: factory.id,
      workflowVersion: 2,
    });
    let version = opened.version as number;
    for (const step of steps) {
      if ('evidence' in step) {
        const res = await api.evidence(shop.key, opened.id, step.evidence);
        expect(res.status).toBe(201);
        version += 1;
        continue;
      }
      const key = step.as === 'merchant' ? shop.key : OPS_KEY;
      const res = await api.event(key, opened.id, step.event, step.payload);
      if ('expect' in step) {
        expect(res.status).toBe(step.expect);
        expect(res.body.error).toBe(step.error);
        continue;
      }
      expect({ step: step.event, status: res.status, body: res.body }).toMatchObject({
        status: 200,
      });
      expect(res.body.version).toBe(version + 1);
      version = res.body.version;
    }
    const final = (await api.get(`/v1/cases/${opened.id}`, shop.key).expect(200)).body;
    expect(final).toMatchObject({ status: 'closed', outcome, allowedEvents: [] });
    expect(final.closedAt).not.toBeNull();

    const timeline = (await api.timeline(shop.key, opened.id).expect(200)).body;
    expect(timeline.integrity.valid).toBe(true);
    expect(timeline.events.map((e: { seq: number }) => e.seq)).toEqual(
      Array.from({ length: final.version }, (_, i) => i + 1),
    );
    expect(timeline.events[0]).toMatchObject({ type: 'CASE_OPENED', prevHash: '0'.repeat(64) });
    expect(timeline.integrity.head).toBe(timeline.events[timeline.events.length - 1].hash);
    // Closing cancels every live timer: none is left waiting.
    const live = await t.db.pool.query(
      'SELECT count(*)::int AS n FROM case_timers WHERE case_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL',
      [opened.id],
    );
    expect(live.rows[0].n).toBe(0);
  });

  it('refuses an event the state does not accept with state and allowedEvents, and changes nothing', async () => {
    const opened = await api.open(shop.key, factory.id, 'out_of_stock');
    const res = await api.event(OPS_KEY, opened.id, 'VERIFICATION_CONFIRMED').expect(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      error: 'invalid_transition',
      state: 'awaiting_decision',
    });
    expect(res.body.allowedEvents).toEqual(
      expect.arrayContaining(['REQUEST_REFUND', 'SWITCH_SUPPLIER', 'NOTE']),
    );
    const after = (await api.get(`/v1/cases/${opened.id}`, shop.key)).body;
    expect(after.version).toBe(opened.version);
    expect(opened.allowedEvents).toEqual(expect.arrayContaining(['REQUEST_REFUND', 'WITHDRAW']));
    expect(opened.allowedEvents).not.toContain('ESCALATE');
  });

  it('answers 422 unprocessable when the order does not fit the type', async () => {
    const late = await api.post('/v1/cases', shop.key, {
      type: 'late_shipment',
      supplierId: factory.id,
      order: shipped,
    });
    expect(late.status).toBe(422);
    expect(late.body.error).toBe('unprocessable');
    const customs = await api.post('/v1/cases', shop.key, {
      type: 'customs_delay',
      supplierId: factory.id,
      order: order(),
    });
    expect(customs.status).toBe(422);
  });

  it('lists every bad field in one 400 validation_failed', async () => {
    const res = await api
      .post('/v1/cases', shop.key, {
        type: 'nope',
        supplierId: 'x',
        order: {
          ...order(),
          originCountry: 'fr',
          items: [],
          total: { amount: '1,5', currency: 'eu' },
        },
        extra: 1,
      })
      .expect(400);
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'type',
        'supplierId',
        'order.originCountry',
        'order.items',
        'order.total.amount',
        'order.total.currency',
        'extra',
      ]),
    );
    const badPayload = await api.event(
      shop.key,
      (await api.open(shop.key, factory.id, 'out_of_stock')).id,
      'NOTE',
      {},
    );
    expect(badPayload.status).toBe(400);
    expect(badPayload.body.details[0].field).toBe('payload.text');
  });

  it('refuses a promisedShipBy that does not exist (2026-02-30) with 400, not a deadline error', async () => {
    const res = await api
      .post('/v1/cases', shop.key, {
        type: 'late_shipment',
        supplierId: factory.id,
        order: { ...order(), promisedShipBy: '2026-02-30' },
      })
      .expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'order.promisedShipBy' })]);
    const listed = await api.get('/v1/cases?openedFrom=2026-02-30', shop.key).expect(400);
    expect(listed.body.details[0].field).toBe('openedFrom');
  });

  it('answers TIMER_FIRED from a client 403 forbidden (the scheduler sends it), 404 on a case not its own', async () => {
    const opened = await api.open(shop.key, factory.id, 'out_of_stock');
    for (const [key, role] of [
      [shop.key, 'merchant'],
      [OPS_KEY, 'ops'],
    ]) {
      for (const payload of [{ kind: 'supplier_response' }, {}]) {
        const res = await api.event(key, opened.id, 'TIMER_FIRED', payload).expect(403);
        expect(res.body).toMatchObject({
          statusCode: 403,
          error: 'forbidden',
          message: `The ${role} role may not send TIMER_FIRED`,
        });
      }
    }
    const foreign = await api.event(rival.key, opened.id, 'TIMER_FIRED', {}).expect(404);
    expect(foreign.body.error).toBe('not_found');
    const after = (await api.get(`/v1/cases/${opened.id}`, shop.key)).body;
    expect(after.version).toBe(opened.version);
    // A merchant sending a supplier's event with a bad payload is told it may not, first.
    const refunded = await api.event(shop.key, opened.id, 'REFUNDED', {}).expect(403);
    expect(refunded.body.error).toBe('forbidden');
  });

  it("tells the buyer the replacement's tracking number and the supplier's reason, not the order's first parcel", async () => {
    const buyerMessages = async (id: string) => {
      const res = await api.get(`/v1/cases/${id}/notifications`, shop.key).expect(200);
      type Item = { type: string; body: { buyerMessage?: { language: string; text: string } } };
      return (res.body.items as Item[])
        .filter((n) => n.body.buyerMessage)
        .map((n) => [n.type, n.body.buyerMessage?.text]);
    };
    const claimed = await api.open(shop.key, factory.id, 'damaged_item', {
      ...shipped,
      ref: 'R-TRK',
    });
    expect((await api.evidence(shop.key, claimed.id, 'photo')).status).toBe(201);
    await api.event(shop.key, claimed.id, 'SUBMIT_EVIDENCE').expect(200);
    await api
      .event(OPS_KEY, claimed.id, 'VERIFICATION_REJECTED', { reason: 'no dent visible' })
      .expect(200);
    expect((await api.evidence(shop.key, claimed.id, 'photo')).status).toBe(201);
    await api.event(shop.key, claimed.id, 'APPEAL').expect(200);
    await api.event(OPS_KEY, claimed.id, 'VERIFICATION_CONFIRMED').expect(200);
    await api.event(OPS_KEY, claimed.id, 'RESHIPPED', { trackingNumber: 'TRK-NEW-9' }).expect(200);
    const messages = await buyerMessages(claimed.id);
    expect(messages).toEqual([
      [
        'merchant.verification_rejected',
        expect.stringContaining('(reason given: no dent visible)'),
      ],
      ['merchant.case_closed', expect.stringContaining('(tracking number TRK-NEW-9)')],
    ]);
    expect(JSON.stringify(messages)).not.toContain('TRK-123'); // the first parcel's number

    const late = await api.open(shop.key, factory.id, 'late_shipment', {
      ...order(),
      ref: 'R-LATE',
      promisedShipBy: dateIn(1),
    });
    await api.event(OPS_KEY, late.id, 'SHIPPED', { trackingNumber: 'TRK-LATE-1' }).expect(200);
    expect(await buyerMessages(late.id)).toEqual([
      ['merchant.case_closed', expect.stringContaining('(tracking number TRK-LATE-1)')],
    ]);
  });

  it("tells the supplier which resolution a confirmed claim owes: the merchant's choice, else the preference", async () => {
    const owed = async (preferred: string | undefined, chosen: string | undefined) => {
      const extra = preferred ? { preferredResolution: preferred } : {};
      // One open case per order and type (intake.md): each claim is about an order of its own.
      const claimed = await api.open(
        shop.key,
        factory.id,
        'wrong_item',
        { ...shipped, ref: order().ref },
        extra,
      );
      expect((await api.evidence(shop.key, claimed.id, 'video')).status).toBe(201);
      if (chosen) {
        await api
          .event(shop.key, claimed.id, 'CHOOSE_RESOLUTION', { resolution: chosen })
          .expect(200);
      }
      await api.event(shop.key, claimed.id, 'SUBMIT_EVIDENCE').expect(200);
      await api.event(OPS_KEY, claimed.id, 'VERIFICATION_CONFIRMED').expect(200);
      const res = await api.get(`/v1/cases/${claimed.id}/notifications`, shop.key).expect(200);
      const items = res.body.items as { type: string; body: Record<string, unknown> }[];
      const requested = items.filter((n) => n.type === 'supplier.resolution_requested');
      expect(requested).toHaveLength(1);
      return requested[0].body.preferredResolution;
    };
    expect(await owed(undefined, undefined)).toBe('refund');
    expect(await owed('reship', undefined)).toBe('reship');
    expect(await owed('refund', 'reship')).toBe('reship');
  });

  it('honours If-Match: a stale version is 409 version_conflict', async () => {
    const opened = await api.open(shop.key, factory.id, 'out_of_stock');
    await api
      .event(shop.key, opened.id, 'NOTE', { text: 'a' }, { 'if-match': String(opened.version) })
      .expect(200);
    const stale = await api
      .event(shop.key, opened.id, 'NOTE', { text: 'b' }, { 'if-match': String(opened.version) })
      .expect(409);
    expect(stale.body.error).toBe('version_conflict');
  });

  it('starts a late_shipment opened 5 days late in awaiting_decision, with the nudge and the escalation on its timeline', async () => {
    const opened = await api.open(
      shop.key,
      factory.id,
      'late_shipment',
      order({ promisedShipBy: dateIn(-6) }),
    );
    expect(opened.state).toBe('awaiting_decision');
    const timeline = (await api.timeline(shop.key, opened.id)).body;
    const fired = timeline.events
      .filter((e: { type: string }) => e.type === 'TIMER_FIRED')
      .map((e: { payload: { kind: string } }) => e.payload.kind);
    expect(fired).toEqual(['late_2d', 'late_4d']);
  });

  it('applies a deadline that came due before an event first, even if the scheduler has not run', async () => {
    const opened = await api.open(shop.key, factory.id, 'unresponsive_supplier');
    await t.db.pool.query(
      `UPDATE case_timers SET due_at = now() - interval '1 minute'
       WHERE case_id = $1 AND kind = 'supplier_response' AND fired_at IS NULL`,
      [opened.id],
    );
    const res = await api.event(shop.key, opened.id, 'NOTE', { text: 'still waiting' }).expect(200);
    expect(res.body).toMatchObject({ state: 'refund_pending', breached: true });
    const types = (await api.timeline(shop.key, opened.id)).body.events.map(
      (e: { type: string }) => e.type,
    );
    expect(types.slice(-3)).toEqual(['TIMER_FIRED', 'SLA_BREACHED', 'NOTE']);
  });

  it('closes a shipped international address_error at once as ineligible with the reason on the timeline', async () => {
    const opened = await api.open(shop.key, factory.id, 'address_error', shipped);
    expect(opened).toMatchObject({
      status: 'closed',
      outcome: 'ineligible',
      phase: 'post_shipment',
      deadlines: [],
    });
    const timeline = (await api.timeline(shop.key, opened.id)).body;
    expect(timeline.events[0].payload.reason).toMatch(/international/i);
  });

  it('paginates newest first with a cursor and filters', async () => {
    const supplier = await api.supplier('Paged');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await api.open(shop.key, supplier.id, 'oversize')).id);
    const first = (
      await api.get(`/v1/cases?supplierId=${supplier.id}&limit=2`, shop.key).expect(200)
    ).body;
    expect(first.items.map((c: { id: string }) => c.id)).toEqual([ids[4], ids[3]]);
    const second = (
      await api.get(
        `/v1/cases?supplierId=${supplier.id}&limit=2&cursor=${first.nextCursor}`,
        shop.key,
      )
    ).body;
    expect(second.items.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[1]]);
    const third = (
      await api.get(
        `/v1/cases?supplierId=${supplier.id}&limit=2&cursor=${second.nextCursor}`,
        shop.key,
      )
    ).body;
    expect(third.items.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    expect(third.nextCursor).toBeNull();
    const rivalView = (await api.get(`/v1/cases?supplierId=${supplier.id}`, rival.key)).body;
    expect(rivalView.items).toEqual([]);
    const tooMany = await api.get('/v1/cases?limit=500', shop.key).expect(400);
    // One clear problem, the field named once (not "limit limit must not be ...").
    expect(tooMany.body).toEqual({
      statusCode: 400,
      error: 'validation_failed',
      message: 'Invalid request: limit must not be greater than 200',
      details: [{ field: 'limit', problem: 'must not be greater than 200' }],
    });
    await api.get('/v1/cases?limit=201', shop.key).expect(400);
    await api.get('/v1/cases?breached=maybe', shop.key).expect(400);
    const open = (
      await api.get(
        `/v1/cases?supplierId=${supplier.id}&status=open&type=oversize&breached=false`,
        OPS_KEY,
      )
    ).body;
    expect(open.items).toHaveLength(5);
    const byOpening = async (query: string) =>
      (await api.get(`/v1/cases?supplierId=${supplier.id}&${query}`, OPS_KEY).expect(200)).body
        .items;
    const today = new Date().toISOString().slice(0, 10);
    expect(await byOpening(`openedFrom=${today}&openedTo=${today}`)).toHaveLength(5);
    expect(await byOpening(`openedFrom=${dateIn(1)}`)).toHaveLength(0);
    expect(await byOpening(`openedTo=${dateIn(-1)}`)).toHaveLength(0);
    const thirdOpened = (await api.get(`/v1/cases/${ids[2]}`, OPS_KEY)).body.createdAt as string;
    expect(
      (await byOpening(`openedFrom=${encodeURIComponent(thirdOpened)}`)).map(
        (c: { id: string }) => c.id,
      ),
    ).toEqual([ids[4], ids[3], ids[2]]);
    await api.get('/v1/cases?openedFrom=yesterday', OPS_KEY).expect(400);
  });

  describe('authorization matrix', () => {
    let caseId: string;
    beforeAll(async () => {
      caseId = (await api.open(shop.key, factory.id, 'out_of_stock')).id;
    });

    const routes = (id: string): [string, string, unknown][] => [
      ['get', `/v1/cases/${id}`, null],
      ['get', `/v1/cases/${id}/timeline`, null],
      ['get', `/v1/cases/${id}/notifications`, null],
      ['post', `/v1/cases/${id}/events`, { type: 'NOTE', payload: { text: 'hi' } }],
      ['post', `/v1/cases/${id}/evidence`, { kind: 'photo', url: 'https://x.example.com/p.jpg' }],
      ['post', `/v1/cases/${id}/feedback`, { resolved: true }],
    ];

    it.each([0, 1, 2, 3, 4, 5])(
      'route #%i: owner 2xx, other merchant 404, ops 2xx, no key 401, bad key 401',
      async (i) => {
        const [method, path, body] = routes(caseId)[i];
        const call = (key: string | null) =>
          method === 'get' ? api.get(path, key) : api.post(path, key, body);
        expect((await call(shop.key)).status).toBeLessThan(300);
        const other = await call(rival.key);
        expect(other.status).toBe(404);
        expect(other.body.error).toBe('not_found');
        expect((await call(OPS_KEY)).status).toBeLessThan(300);
        expect((await call(null)).status).toBe(401);
        const bad = await call('rk_live_not_a_real_key');
        expect(bad.status).toBe(401);
        expect(bad.body.error).toBe('unauthorized');
      },
    );

    it('lists only the caller merchant cases and 404s unknown and malformed ids', async () => {
      const mine = (await api.get('/v1/cases?limit=200', rival.key)).body.items;
      expect(mine.every((c: { merchantId: string }) => c.merchantId === rival.id)).toBe(true);
      await api.get('/v1/cases/00000000-0000-4000-8000-000000000000', OPS_KEY).expect(404);
      await api.get('/v1/cases/not-a-uuid', OPS_KEY).expect(404);
    });
  });

  it('applies 50 concurrent events on one case one after the other: gapless version and seq', async () => {
    const opened = await api.open(shop.key, factory.id, 'out_of_stock');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        api.event(shop.key, opened.id, 'NOTE', { text: `n${i}` }),
      ),
    );
    const accepted = results.filter((r) => r.status === 200).length;
    expect(accepted).toBe(50);
    const timeline = (await api.timeline(shop.key, opened.id)).body;
    expect(timeline.integrity.valid).toBe(true);
    expect(timeline.events).toHaveLength(opened.version + accepted);
    expect(timeline.events.map((e: { seq: number }) => e.seq)).toEqual(
      Array.from({ length: opened.version + accepted }, (_, i) => i + 1),
    );
    const texts = timeline.events
      .filter((e: { type: string }) => e.type === 'NOTE')
      .map((e: { payload: { text: string } }) => e.payload.text);
    expect(new Set(texts).size).toBe(50);
  });

  it('creates one case from 100 concurrent POSTs with one Idempotency-Key', async () => {
    const body = { type: 'oversize', supplierId: factory.id, order: order() };
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        api.post('/v1/cases', shop.key, body, { 'idempotency-key': 'open-once-1' }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(
      results.every(
        (r) => r.status === 201 || (r.status === 409 && r.body.error === 'idempotency_key_in_use'),
      ),
    ).toBe(true);
    const count = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM cases WHERE order_snapshot->>'ref' = $1`,
      [body.order.ref],
    );
    expect(count.rows[0].n).toBe(1);
  });

  describe('the timeline is append-only and tamper-evident', () => {
    it.each([
      ['UPDATE', `UPDATE timeline_entries SET payload = '{}' WHERE seq = 1`],
      ['DELETE', `DELETE FROM timeline_entries WHERE seq = 1`],
      ['TRUNCATE', `TRUNCATE timeline_entries CASCADE`],
    ])('the database refuses %s', async (_op, sql) => {
      await api.open(shop.key, factory.id, 'oversize');
      await expect(t.db.pool.query(sql)).rejects.toThrow(/append-only/);
    });

    it("an entry altered behind the database's back makes integrity.valid false", async () => {
      const opened = await api.open(shop.key, factory.id, 'out_of_stock');
      await api.event(shop.key, opened.id, 'NOTE', { text: 'original' }).expect(200);
      const client = await t.db.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          'ALTER TABLE timeline_entries DISABLE TRIGGER timeline_entries_no_update_delete',
        );
        await client.query(
          `UPDATE timeline_entries SET payload = '{"text":"forged"}' WHERE case_id = $1 AND seq = 2`,
          [opened.id],
        );
        await client.query(
          'ALTER TABLE timeline_entries ENABLE TRIGGER timeline_entries_no_update_delete',
        );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      const timeline = (await api.timeline(shop.key, opened.id).expect(200)).body;
      expect(timeline.integrity).toMatchObject({ valid: false, brokenAt: 2 });
    });
  });

  it('answers no 5xx to 500 malformed bodies, paths and headers on the case routes', async () => {
    const opened = await api.open(shop.key, factory.id, 'out_of_stock');
    const arbPath = fc.constantFrom(
      '/v1/cases',
      `/v1/cases/${opened.id}/events`,
      `/v1/cases/${opened.id}/evidence`,
      `/v1/cases/${opened.id}/feedback`,
      '/v1/cases/%00/events',
      '/v1/cases/../../etc/passwd',
      `/v1/cases/${opened.id}x/events`,
    );
    await fc.assert(
      fc.asyncProperty(
        arbPath,
        fc.oneof(
          fc.jsonValue(),
          fc.string(),
          fc.record({ type: fc.string(), payload: fc.jsonValue() }),
        ),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        async (path, body, ifMatch) => {
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (ifMatch !== undefined) headers['if-match'] = ifMatch.replace(/[^\x20-\x7e]/g, '');
          const raw = typeof body === 'string' ? body : JSON.stringify(body);
          const res = await api.post(path, shop.key, raw, headers);
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.body).toMatchObject({
              statusCode: res.status,
              error: expect.any(String),
              message: expect.any(String),
            });
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
