import request from 'supertest';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** What the ops console reads besides the case: search by order, counts, every deadline, links. */
describe('Case search, counts, every deadline, deep links to a case', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
  });
  afterAll(() => t.close());

  it('GET /v1/cases?orderRef= finds the cases of one order, across merchants for ops', async () => {
    const shop = await api.merchant('Search shop');
    const other = await api.merchant('Other shop');
    const factory = await api.supplier('Search factory');
    const ref = `SO-${Date.now()}`;
    const a = await api.open(shop.key, factory.id, 'oversize', { ...order(), ref });
    const b = await api.open(other.key, factory.id, 'oversize', { ...order(), ref });
    await api.open(shop.key, factory.id, 'oversize');

    const all = await api.get(`/v1/cases?orderRef=${ref}&includeTotal=true`, OPS_KEY).expect(200);
    expect(all.body.items.map((c: { id: string }) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(all.body.total).toBe(2);
    // A merchant key finds only its own case of that order.
    const own = await api.get(`/v1/cases?orderRef=${ref}`, shop.key).expect(200);
    expect(own.body.items.map((c: { id: string }) => c.id)).toEqual([a.id]);
    expect(own.body).not.toHaveProperty('total');
    // Its count is of its own cases too.
    const counted = await api.get(`/v1/cases?orderRef=${ref}&includeTotal=true`, shop.key);
    expect(counted.body.total).toBe(1);
    const none = await api.get(`/v1/cases?orderRef=nope-${ref}&includeTotal=true`, OPS_KEY);
    expect(none.body).toEqual({ items: [], nextCursor: null, total: 0 });

    for (const bad of ['orderRef=', `orderRef=${'x'.repeat(201)}`, 'includeTotal=yes']) {
      const res = await api.get(`/v1/cases?${bad}`, OPS_KEY).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    }
  });

  it('includeTotal counts every page while the cursor walks them', async () => {
    const shop = await api.merchant('Count shop');
    const factory = await api.supplier('Count factory');
    for (let i = 0; i < 3; i++) await api.open(shop.key, factory.id, 'oversize');
    const query = `/v1/cases?merchantId=${shop.id}&limit=2&includeTotal=true`;
    const first = await api.get(query, OPS_KEY).expect(200);
    expect(first.body).toMatchObject({ total: 3 });
    expect(first.body.items).toHaveLength(2);
    const second = await api
      .get(`${query}&cursor=${encodeURIComponent(first.body.nextCursor)}`, OPS_KEY)
      .expect(200);
    expect(second.body).toMatchObject({ total: 3, nextCursor: null });
    expect(second.body.items).toHaveLength(1);
  });

  it('GET /v1/cases/:id/deadlines keeps the cancelled deadlines of a closed case', async () => {
    const shop = await api.merchant('Deadline shop');
    const factory = await api.supplier('Deadline factory');
    const c = await api.open(shop.key, factory.id, 'oversize');
    const live = await api.get(`/v1/cases/${c.id}/deadlines`, shop.key).expect(200);
    expect(live.body.caseId).toBe(c.id);
    expect(live.body.items.length).toBeGreaterThan(0);
    expect(live.body.items.every((d: { status: string }) => d.status === 'pending')).toBe(true);

    await api.event(OPS_KEY, c.id, 'ESCALATE', { reason: 'Stuck' }).expect(200);
    await api.event(OPS_KEY, c.id, 'FORCE_CLOSE', { reason: 'Duplicate' }).expect(200);
    const view = await api.get(`/v1/cases/${c.id}`, OPS_KEY).expect(200);
    expect(view.body.deadlines).toEqual([]); // the case view keeps only live ones
    const after = await api.get(`/v1/cases/${c.id}/deadlines`, OPS_KEY).expect(200);
    expect(after.body.items.length).toBeGreaterThanOrEqual(live.body.items.length);
    for (const d of after.body.items) {
      expect(d).toMatchObject({ status: 'cancelled', firedAt: null, breached: false });
      expect(Date.parse(d.cancelledAt)).not.toBeNaN();
      expect(Date.parse(d.setAt)).toBeLessThanOrEqual(Date.parse(d.cancelledAt));
    }

    // Outside the caller's scope, or no case at all: 404.
    const stranger = await api.merchant('Stranger shop');
    await api.get(`/v1/cases/${c.id}/deadlines`, stranger.key).expect(404);
    await api.get('/v1/cases/not-a-case/deadlines', OPS_KEY).expect(404);
    await api.get(`/v1/cases/${c.id}/deadlines`, null).expect(401);
  });

  it('/<page>/cases/<id> answers the page for the pages that open a case, 404 otherwise', async () => {
    const id = '0b5d2a4e-8f1c-4c3a-9a57-3f2d1e0c9b8a';
    const ops = await request(t.server).get(`/ops/cases/${id}`).expect(200);
    expect(ops.headers['content-type']).toMatch(/^text\/html/);
    expect(ops.headers['content-security-policy']).toContain("script-src 'self'");
    expect(ops.text).toContain('<script src="/ops/ops.js" defer></script>');
    // The merchant console opens its cases the same way.
    const app = await request(t.server).get(`/app/cases/${id}`).expect(200);
    expect(app.text).toContain('<script src="/app/app.js" defer></script>');
    for (const path of [
      '/ops/cases/not-a-uuid',
      `/buyer/cases/${id}`,
      `/nothing/cases/${id}`,
      `/ops/cases/${id}/more`,
    ]) {
      const res = await request(t.server).get(path).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404 });
    }
    // The API keeps its own routes under the same shape.
    await api.get(`/v1/cases/${id}`, OPS_KEY).expect(404);
    expect((await api.get(`/v1/cases/${id}`, OPS_KEY)).body.error).toBe('not_found');
  });
});
