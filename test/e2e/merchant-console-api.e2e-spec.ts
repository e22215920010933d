import request from 'supertest';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** What the merchant console needs from the server: its pages, who signed in, the search by order. */
describe('the merchant console’s server side', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
  });
  afterAll(() => t.close());

  it('answers its page for /app and every deep link, under the CSP; a bad case id is a 404', async () => {
    const caseId = '7d0c4a9e-8a5c-4d0b-9a56-0f2b5c7c1e01';
    for (const path of ['/app', '/app/', '/app/new', '/app/money', `/app/cases/${caseId}`]) {
      const page = await request(t.server).get(path).expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<script src="/app/app.js" defer></script>');
      expect(page.text).not.toMatch(/<script>[^<]/);
      const csp = page.headers['content-security-policy'];
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("connect-src 'self'");
    }
    await request(t.server)
      .get('/app/app.js')
      .expect('content-type', /^text\/javascript/);
    await request(t.server)
      .get('/app/app.css')
      .expect('content-type', /^text\/css/);
    const bad = await request(t.server).get('/app/cases/not-a-uuid').expect(404);
    expect(bad.body).toMatchObject({ statusCode: 404 });
    await request(t.server).get('/app/nope').expect(404);
  });

  it('GET /v1/merchants/me: the key’s merchant; not for ops or without a key', async () => {
    const shop = await api.merchant('Boutique Lumière');
    const me = await api.get('/v1/merchants/me', shop.key).expect(200);
    expect(me.body).toMatchObject({ id: shop.id, name: 'Boutique Lumière' });
    expect(me.body).not.toHaveProperty('webhookSecret');
    await api.get('/v1/merchants/me', OPS_KEY).expect(403);
    await api.get('/v1/merchants/me', null).expect(401);
    await api.get('/v1/merchants/me?x=1', shop.key).expect(400);
  });

  it('GET /v1/cases?orderRef= finds the cases of one order, the caller’s own only', async () => {
    const shop = await api.merchant('Ref shop');
    const other = await api.merchant('Other shop');
    const factory = await api.supplier('Ref factory');
    const first = order();
    const a = await api.open(shop.key, factory.id, 'oversize', first);
    const b = await api.open(shop.key, factory.id, 'out_of_stock', first);
    await api.open(shop.key, factory.id, 'oversize'); // another order
    await api.open(other.key, factory.id, 'oversize', first); // the same ref, another merchant
    const list = await api.get(`/v1/cases?orderRef=${first.ref}`, shop.key).expect(200);
    expect((list.body.items as { id: string }[]).map((c) => c.id).sort()).toEqual(
      [a.id, b.id].sort(),
    );
    const none = await api.get('/v1/cases?orderRef=NOPE', shop.key).expect(200);
    expect(none.body.items).toEqual([]);
    const long = await api.get(`/v1/cases?orderRef=${'x'.repeat(201)}`, shop.key).expect(400);
    expect(JSON.stringify(long.body)).toContain('orderRef');
    await api.get('/v1/cases?orderRef=', shop.key).expect(400);
  });
});
