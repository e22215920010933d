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
  });
});
