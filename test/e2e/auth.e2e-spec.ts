import request from 'supertest';
import { ApiKeyService } from '../../src/common/auth/api-key.service';
import { bearer, createMerchantWithKey } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

const OPS_KEY = 'rk_test_bootstrap_auth_0123456789abcdef';

describe('authentication and roles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
  });
  afterAll(() => t.close());

  it('accepts the bootstrap ops key', async () => {
    await request(t.server)
      .post('/v1/merchants')
      .set(bearer(OPS_KEY))
      .send({ name: 'Shop', country: 'FR' })
      .expect(201);
  });

  it('creates the bootstrap key once, however often the app boots', async () => {
    await t.app.get(ApiKeyService).ensureBootstrapOpsKey();
    await Promise.all([1, 2, 3].map(() => t.app.get(ApiKeyService).ensureBootstrapOpsKey()));
    const { rows } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM api_keys WHERE role = 'ops'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it.each([
    ['no Authorization header', {}],
    ['an unknown key', bearer('rk_live_unknownunknownunknownunknownunknown')],
    ['a non-Bearer scheme', { authorization: `Basic ${OPS_KEY}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('answers 401 unauthorized in the contract shape for %s', async (_name, headers) => {
    const res = await request(t.server)
      .get('/v1/merchants/00000000-0000-4000-8000-000000000000')
      .set(headers)
      .expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'unauthorized' });
    expect(typeof res.body.message).toBe('string');
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('answers 401 for a revoked key', async () => {
    const { merchantId, key } = await createMerchantWithKey(t.server, OPS_KEY);
    await t.db.pool.query(`UPDATE api_keys SET revoked_at = now() WHERE merchant_id = $1`, [
      merchantId,
    ]);
    // A key never used is not in the cache: refused at once.
    await request(t.server).get(`/v1/merchants/${merchantId}`).set(bearer(key)).expect(401);
  });

  it('answers 403 forbidden for a merchant key on an ops route', async () => {
    const { key } = await createMerchantWithKey(t.server, OPS_KEY);
    const res = await request(t.server)
      .post('/v1/suppliers')
      .set(bearer(key))
      .send({ name: 'S', country: 'CN' })
      .expect(403);
    expect(res.body).toMatchObject({
      statusCode: 403,
      error: 'forbidden',
      message: 'This route needs an ops key',
    });
    await request(t.server)
      .post('/v1/merchants')
      .set(bearer(key))
      .send({ name: 'Other', country: 'FR' })
      .expect(403);
  });

  it('a new key works at once, has the rk_live_ prefix and at least 128 random bits', async () => {
    const merchant = await request(t.server)
      .post('/v1/merchants')
      .set(bearer(OPS_KEY))
      .send({ name: 'Shop', country: 'DE' })
      .expect(201);
    const res = await request(t.server)
      .post(`/v1/merchants/${merchant.body.id}/api-keys`)
      .set(bearer(OPS_KEY))
      .expect(201);
    expect(res.body).toMatchObject({ role: 'merchant', merchantId: merchant.body.id });
    expect(res.body.key).toMatch(/^rk_live_[A-Za-z0-9_-]{43}$/);
    expect(res.body.prefix).toBe(res.body.key.slice(0, 12));
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
    await request(t.server)
      .get(`/v1/merchants/${merchant.body.id}`)
      .set(bearer(res.body.key))
      .expect(200);
  });

  it('never stores a key in plain text: only its SHA-256', async () => {
    const { key } = await createMerchantWithKey(t.server, OPS_KEY);
    const { rows } = await t.db.pool.query(
      `SELECT id::text, encode(key_hash, 'hex') AS key_hash, prefix, role, merchant_id::text,
              created_at::text, revoked_at::text FROM api_keys`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(OPS_KEY);
    expect(dump).not.toContain(key.slice(12));
    const { createHash } = await import('node:crypto');
    const hex = createHash('sha256').update(key).digest('hex');
    expect(rows.map((r) => r.key_hash)).toContain(hex);
  });

  it('leaves routes outside /v1 open', async () => {
    await request(t.server).get('/health').expect(200);
  });
});

describe('rate limiting', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, rateLimitPerSecond: 5 });
  });
  afterAll(() => t.close());

  it('answers 429 rate_limited with Retry-After when a key exceeds its limit, per key', async () => {
    const { merchantId, key } = await createMerchantWithKey(t.server, OPS_KEY);
    // Let the ops key's window (2 requests so far) pass.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const statuses: number[] = [];
    let limited: request.Response | undefined;
    for (let i = 0; i < 8; i += 1) {
      const res = await request(t.server).get(`/v1/merchants/${merchantId}`).set(bearer(key));
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses).toContain(429);
    expect(limited?.body).toMatchObject({ statusCode: 429, error: 'rate_limited' });
    const retryAfter = Number(limited?.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);

    // Another key has its own budget.
    await request(t.server).get(`/v1/merchants/${merchantId}`).set(bearer(OPS_KEY)).expect(200);
    // /health is never limited.
    for (let i = 0; i < 10; i += 1) await request(t.server).get('/health').expect(200);
    // And the limited key works again after the window.
    await new Promise((resolve) => setTimeout(resolve, 1100 * retryAfter));
    await request(t.server).get(`/v1/merchants/${merchantId}`).set(bearer(key)).expect(200);
  });
});
