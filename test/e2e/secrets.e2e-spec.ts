import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { order } from '../support/fixtures';

const OPS_KEY = 'rk_live_secret_ops_key_that_must_never_be_logged_0001';

/** Every text of every row of every table, to grep for secrets. */
async function wholeDatabase(db: TestDatabase): Promise<string> {
  const tables = await db.pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`);
  let all = '';
  for (const { tablename } of tables.rows as { tablename: string }[]) {
    const rows = await db.pool.query(`SELECT t::text AS row FROM ${tablename} t`);
    all += rows.rows.map((r: { row: string }) => r.row).join('\n');
  }
  return all;
}

describe('API keys never appear in plain text in the logs or the database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('greps the process output and every table for the keys used', async () => {
    const app = await startAppProcess({
      DATABASE_URL: db.url,
      REDRESS_BOOTSTRAP_OPS_KEY: OPS_KEY,
      LOG_LEVEL: 'trace',
    });
    const call = async (path: string, key: string, body?: unknown) => {
      const res = await fetch(`${app.baseUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, string> };
    };
    try {
      const merchant = await call('/v1/merchants', OPS_KEY, { name: 'Shop', country: 'FR' });
      expect(merchant.status).toBe(201);
      const key = await call(`/v1/merchants/${merchant.body.id}/api-keys`, OPS_KEY, {});
      expect(key.body.key).toMatch(/^rk_live_/);
      const supplier = await call('/v1/suppliers', OPS_KEY, { name: 'Factory', country: 'CN' });
      const opened = await call('/v1/cases', key.body.key, {
        type: 'out_of_stock',
        supplierId: supplier.body.id,
        order: order(),
      });
      expect(opened.status).toBe(201);
      expect((await call('/v1/cases?limit=1', 'rk_live_wrong_key_also_secret')).status).toBe(401);

      await app.stop();
      const logs = app.output();
      expect(logs).toContain('/v1/cases'); // the requests were logged...
      for (const secret of [OPS_KEY, key.body.key, 'rk_live_wrong_key_also_secret']) {
        expect(logs).not.toContain(secret); // ...but never a key
      }
      const rows = await wholeDatabase(db);
      expect(rows).toContain(merchant.body.id);
      for (const secret of [OPS_KEY, key.body.key]) expect(rows).not.toContain(secret);
    } finally {
      await app.stop('SIGKILL');
    }
  }, 180_000);
});

describe('Secrets shown once are stored nowhere in plain text, the idempotency store included', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('replays creations and rotations with the secret as null, and no table or log holds one', async () => {
    const app = await startAppProcess({
      DATABASE_URL: db.url,
      REDRESS_BOOTSTRAP_OPS_KEY: OPS_KEY,
      LOG_LEVEL: 'trace',
    });
    const post = async (path: string, body: unknown, idempotencyKey: string) => {
      const res = await fetch(`${app.baseUrl}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${OPS_KEY}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify(body),
      });
      return {
        status: res.status,
        replayed: res.headers.get('idempotent-replayed'),
        body: (await res.json()) as Record<string, unknown>,
      };
    };
    const secrets: string[] = [];
    /** Sends twice: the first answer shows `field`, the replay the same resource without it. */
    const once = async (path: string, body: unknown, field: string) => {
      const ik = `ik-${path}`;
      const first = await post(path, body, ik);
      expect(first.status).toBe(201);
      expect(first.body[field]).toMatch(/^(rk_live_|whsec_)/);
      expect(first.body).not.toHaveProperty('secretShownOnce');
      secrets.push(first.body[field] as string);
      const replay = await post(path, body, ik);
      expect(replay).toEqual({
        status: 201,
        replayed: 'true',
        body: { ...first.body, [field]: null, secretShownOnce: true },
      });
      return first.body;
    };
    try {
      const merchant = await once(
        '/v1/merchants',
        { name: 'Shop', country: 'FR' },
        'webhookSecret',
      );
      const key = await once(`/v1/merchants/${merchant.id as string}/api-keys`, {}, 'key');
      expect(key.id).toEqual(expect.any(String));
      const supplier = await once(
        '/v1/suppliers',
        { name: 'Factory', country: 'CN' },
        'webhookSecret',
      );
      await once(`/v1/suppliers/${supplier.id as string}/rotate-secret`, {}, 'webhookSecret');
      await once(`/v1/merchants/${merchant.id as string}/rotate-secret`, {}, 'webhookSecret');
      expect(new Set(secrets).size).toBe(5);

      // The replays were answered from the store, which holds the rest of each answer.
      const stored = await db.pool.query(`SELECT body::text AS body FROM idempotency_keys`);
      expect(stored.rows).toHaveLength(5);
      for (const row of stored.rows as { body: string }[]) {
        expect(row.body).toContain('"secretShownOnce": true');
      }

      await app.stop();
      const rows = await wholeDatabase(db);
      expect(rows).toContain(merchant.id as string);
      const logs = app.output();
      for (const secret of secrets) {
        // Neither the secret nor its random part (without the prefix) is anywhere.
        const random = secret.replace(/^(rk_live_|whsec_)/, '');
        expect(rows).not.toContain(random);
        expect(logs).not.toContain(random);
      }
    } finally {
      await app.stop('SIGKILL');
    }
  }, 180_000);
});

describe('production boot checks', () => {
  const main = resolve(__dirname, '../../dist/src/main.js');
  const production = {
    NODE_ENV: 'production',
    // Never reached: the configuration is refused first.
    DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
    REDRESS_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'),
    REDRESS_METRICS_TOKEN: 'token',
    REDRESS_SIGNING_KEY: Buffer.alloc(32, 4).toString('base64'),
    REDRESS_BOOTSTRAP_OPS_KEY: 'k'.repeat(32),
  };

  it.each([
    [
      { REDRESS_BOOTSTRAP_OPS_KEY: 'short-ops-key' },
      'REDRESS_BOOTSTRAP_OPS_KEY must be at least 32',
    ],
    [{ REDRESS_SECRET_KEY: '' }, 'REDRESS_SECRET_KEY is required'],
    [{ REDRESS_SECRET_KEY: 'not-32-bytes' }, 'REDRESS_SECRET_KEY must be 32 bytes'],
    [{ REDRESS_METRICS_TOKEN: '' }, 'REDRESS_METRICS_TOKEN is required'],
    [{ REDRESS_SIGNING_KEY: '' }, 'REDRESS_SIGNING_KEY is required'],
  ])('stops with one clear line: %j', (change, message) => {
    const run = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, ...production, ...change },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`redress: configuration error: ${message}`);
    expect(run.stderr).not.toContain('short-ops-key');
  });
});
