import request from 'supertest';
import { ApiKeyService } from '../../src/common/auth/api-key.service';
import { Clock } from '../../src/common/clock/clock.service';
import { bearer } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

const OPS_KEY = 'rk_test_bootstrap_idempotency_0123456789abcdef';
const ops = bearer(OPS_KEY);

describe('Idempotency-Key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
  });
  afterAll(() => t.close());

  const merchantCount = async (name: string): Promise<number> =>
    (await t.db.pool.query(`SELECT count(*)::int AS n FROM merchants WHERE name = $1`, [name]))
      .rows[0].n;

  it('replays the first response for the same key and body, and does the work once (the secret shown once is null in the replay)', async () => {
    const send = () =>
      request(t.server)
        .post('/v1/merchants')
        .set(ops)
        .set('Idempotency-Key', 'same-1')
        .send({ name: 'Replay', country: 'FR' });
    const first = await send().expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await send().expect(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(first.body.webhookSecret).toMatch(/^whsec_/);
    expect(second.body).toEqual({ ...first.body, webhookSecret: null, secretShownOnce: true });
    expect(await merchantCount('Replay')).toBe(1);
  });

  it('hashes the body canonically: the same fields in another order replay', async () => {
    const first = await request(t.server)
      .post('/v1/merchants')
      .set(ops)
      .set('Idempotency-Key', 'order-1')
      .send({ name: 'Order', country: 'FR' })
      .expect(201);
    const second = await request(t.server)
      .post('/v1/merchants')
      .set(ops)
      .set('Idempotency-Key', 'order-1')
      .send({ country: 'FR', name: 'Order' })
      .expect(201);
    expect(second.body.id).toBe(first.body.id);
  });

  it('answers 409 idempotency_key_reused for the same key with another body', async () => {
    await request(t.server)
      .post('/v1/merchants')
      .set(ops)
      .set('Idempotency-Key', 'reuse-1')
      .send({ name: 'Reuse', country: 'FR' })
      .expect(201);
    const res = await request(t.server)
      .post('/v1/merchants')
      .set(ops)
      .set('Idempotency-Key', 'reuse-1')
      .send({ name: 'Reuse', country: 'DE' })
      .expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'idempotency_key_reused' });
    expect(await merchantCount('Reuse')).toBe(1);
  });

  it('replays a refusal (4xx) the same way', async () => {
    const send = () =>
      request(t.server)
        .post('/v1/merchants')
        .set(ops)
        .set('Idempotency-Key', 'bad-1')
        .send({ name: 'Bad', country: 'fr' });
    const first = await send().expect(400);
    const second = await send().expect(400);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
  });

  it('refuses an Idempotency-Key longer than 255 characters, and an empty one', async () => {
    for (const key of ['k'.repeat(256), '']) {
      const res = await request(t.server)
        .post('/v1/merchants')
        .set(ops)
        .set('Idempotency-Key', key)
        .send({ name: 'TooLong', country: 'FR' })
        .expect(400);
      expect(res.body).toMatchObject({ error: 'validation_failed' });
      expect(res.body.details[0].field).toBe('Idempotency-Key');
    }
    await request(t.server)
      .post('/v1/merchants')
      .set(ops)
      .set('Idempotency-Key', 'k'.repeat(255))
      .send({ name: 'TooLong', country: 'FR' })
      .expect(201);
    expect(await merchantCount('TooLong')).toBe(1);
  });

  it('100 concurrent POSTs with one key: one merchant; the others replay it or get 409', async () => {
    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        request(t.server)
          .post('/v1/merchants')
          .set(ops)
          .set('Idempotency-Key', 'storm-1')
          .send({ name: 'Storm', country: 'FR' }),
      ),
    );
    expect(await merchantCount('Storm')).toBe(1);
    const created = responses.filter((r) => r.status === 201);
    const inUse = responses.filter((r) => r.status === 409);
    expect(created.length + inUse.length).toBe(100);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(created.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    for (const r of inUse) expect(r.body.error).toBe('idempotency_key_in_use');
    const { rows } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM idempotency_keys WHERE key = 'storm-1'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('scopes keys to the API key that sent them', async () => {
    const other = await t.app.get(ApiKeyService).create('ops', null);
    const send = (key: string) =>
      request(t.server)
        .post('/v1/merchants')
        .set(bearer(key))
        .set('Idempotency-Key', 'scoped-1')
        .send({ name: 'Scoped', country: 'FR' })
        .expect(201);
    const first = await send(OPS_KEY);
    const second = await send(other.key);
    expect(second.body.id).not.toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(await merchantCount('Scoped')).toBe(2);
  });

  it('forgets a key after 24 hours on the server clock', async () => {
    const send = (country: string) =>
      request(t.server)
        .post('/v1/merchants')
        .set(ops)
        .set('Idempotency-Key', 'expiry-1')
        .send({ name: 'Expiry', country });
    const first = await send('FR').expect(201);
    const clock = t.app.get(Clock);
    clock.set(new Date(clock.now().getTime() + 23 * 3600 * 1000));
    const replay = await send('FR').expect(201);
    expect(replay.body.id).toBe(first.body.id);
    await send('DE').expect(409);

    clock.set(new Date(clock.now().getTime() + 2 * 3600 * 1000));
    const fresh = await send('DE').expect(201);
    expect(fresh.body.id).not.toBe(first.body.id);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();
    expect(await merchantCount('Expiry')).toBe(2);
    const { rows } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM idempotency_keys WHERE key = 'expiry-1'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('does not apply to requests without the header', async () => {
    await request(t.server)
      .post('/v1/merchants')
      .set(ops)
      .send({ name: 'NoKey', country: 'FR' })
      .expect(201);
    await request(t.server)
      .post('/v1/merchants')
      .set(ops)
      .send({ name: 'NoKey', country: 'FR' })
      .expect(201);
    expect(await merchantCount('NoKey')).toBe(2);
  });

  it('lets go of the key after a 5xx, so that the same request can be retried', async () => {
    const send = () =>
      request(t.server)
        .post('/v1/merchants')
        .set(ops)
        .set('Idempotency-Key', 'after-5xx-1')
        .send({ name: 'After5xx', country: 'FR' });
    // The merchants table out of the way: the insert fails, a 500 that says nothing inside.
    await t.db.pool.query('ALTER TABLE merchants RENAME TO merchants_away');
    let failed: request.Response;
    try {
      failed = await send();
    } finally {
      await t.db.pool.query('ALTER TABLE merchants_away RENAME TO merchants');
    }
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ statusCode: 500, error: 'internal_error' });
    // Not a replay of the 500: the request runs again, once.
    const retried = await send().expect(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
    const replayed = await send().expect(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual({ ...retried.body, webhookSecret: null, secretShownOnce: true });
    expect(await merchantCount('After5xx')).toBe(1);
  });

  it('stores the answer before it leaves: a retry sent the moment it arrives replays it', async () => {
    const key = 'instant-1';
    const body = { name: 'Instant', country: 'FR' };
    const first = await request(t.server)
      .post('/v1/merchants')
      .set(ops)
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    const stored = await t.db.pool.query<{ status: number }>(
      `SELECT status FROM idempotency_keys WHERE key = $1`,
      [key],
    );
    expect(stored.rows).toEqual([{ status: 201 }]);
    const second = await request(t.server)
      .post('/v1/merchants')
      .set(ops)
      .set('Idempotency-Key', key)
      .send(body)
      .expect(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers.location).toBe(`/v1/merchants/${first.body.id}`);
  });
});
