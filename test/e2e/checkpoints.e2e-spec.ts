import { createPublicKey, verify } from 'node:crypto';
import { Api, OPS_KEY } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** hardening.md, "Signed checkpoints": routes, signature, append-only table, the periodic run. */
describe('signed checkpoints (/v1/audit/checkpoints)', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    // The scheduler on, signing every second: the periodic checkpoint shows up on its own.
    t = await startTestApp({
      bootstrapOpsKey: OPS_KEY,
      schedulerEnabled: true,
      checkpointIntervalMs: 1000,
    });
    api = new Api(t.server);
  });
  afterAll(() => t.close());

  it('signs {at, count, root} with the listed Ed25519 key; ops only; unknown ids 404', async () => {
    const shop = await api.merchant('Signed shop');
    const factory = await api.supplier('Signed factory');
    await api.open(shop.key, factory.id, 'oversize');
    const made = (await api.post('/v1/audit/checkpoints', OPS_KEY, {}).expect(201)).body;
    expect(Object.keys(made).sort()).toEqual(['at', 'count', 'id', 'root', 'signature']);
    expect(made.count).toBe(1);
    const list = (await api.get('/v1/audit/checkpoints', OPS_KEY).expect(200)).body;
    expect(list.algorithm).toBe('Ed25519');
    const key = createPublicKey(list.publicKey as string);
    const message = Buffer.from(`redress-checkpoint:v1:${made.at}:${made.count}:${made.root}`);
    expect(verify(null, message, key, Buffer.from(made.signature, 'base64'))).toBe(true);
    const forged = Buffer.concat([message, Buffer.from('x')]);
    expect(verify(null, forged, key, Buffer.from(made.signature, 'base64'))).toBe(false);

    expect((await api.post('/v1/audit/checkpoints', shop.key, {})).status).toBe(403);
    expect((await api.get('/v1/audit/checkpoints', shop.key)).status).toBe(403);
    for (const id of ['999999', 'nope', '1e3']) {
      expect((await api.get(`/v1/audit/checkpoints/${id}/check`, OPS_KEY)).status).toBe(404);
    }
    expect((await api.get('/v1/audit/checkpoints?cursor=x', OPS_KEY)).status).toBe(400);
  });

  it('keeps checkpoints append-only: UPDATE, DELETE and TRUNCATE are refused', async () => {
    await api.post('/v1/audit/checkpoints', OPS_KEY, {}).expect(201);
    for (const sql of [
      `UPDATE audit_checkpoints SET root = repeat('0', 64)`,
      `DELETE FROM audit_checkpoints`,
      `TRUNCATE audit_checkpoints`,
    ]) {
      await expect(t.db.pool.query(sql)).rejects.toThrow(/append-only/);
    }
  });

  it('makes one by itself on the scheduler instance', async () => {
    const count = async () =>
      Number((await t.db.pool.query(`SELECT count(*) FROM audit_checkpoints`)).rows[0].count);
    const start = await count();
    const deadline = Date.now() + 10_000;
    while ((await count()) <= start && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await count()).toBeGreaterThan(start);
    const latest = (await api.get('/v1/audit/checkpoints?limit=1', OPS_KEY).expect(200)).body;
    const check = await api.get(`/v1/audit/checkpoints/${latest.items[0].id}/check`, OPS_KEY);
    expect(check.body).toMatchObject({ valid: true, signatureValid: true });
  });
});
