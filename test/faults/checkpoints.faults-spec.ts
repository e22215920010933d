import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, startAppProcess } from '../support/app-process';
import { rewriteChain } from '../support/chain-rewrite';
import { Api } from '../support/fixtures';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { appEnv, OPS_KEY } from './support/scenario';

const VERIFY = join(__dirname, '..', '..', 'scripts', 'verify-export.js');

/**
 * hardening.md, "Signed checkpoints": a chain rewritten in the database with recomputed hashes
 * verifies as a chain, but the next check of a signed checkpoint catches it, through the API and
 * through `npm run verify-export -- --checkpoints`.
 */
describe('a chain rewritten in the database is caught by the signed checkpoints', () => {
  let db: TestDatabase;
  let app: AppProcess;
  const dir = mkdtempSync(join(tmpdir(), 'redress-checkpoints-'));

  beforeAll(async () => {
    db = await createTestDatabase();
    const { privateKey } = generateKeyPairSync('ed25519');
    app = await startAppProcess(
      appEnv(db.url, {
        REDRESS_SCHEDULER: '0',
        REDRESS_SIGNING_KEY: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      }),
    );
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const res = await fetch(`${app.baseUrl}${path}`, {
      headers: { authorization: `Bearer ${OPS_KEY}` },
    });
    expect(res.status).toBe(200);
    return res;
  };

  /** `npm run verify-export -- --checkpoints heads --public-key key export`, on files now. */
  async function verifyExport(checkpointId: string, publicKey: string) {
    const files = {
      heads: join(dir, 'heads.ndjson'),
      key: join(dir, 'key.pem'),
      export: join(dir, 'export.ndjson'),
    };
    writeFileSync(
      files.heads,
      await (await get(`/v1/audit/checkpoints/${checkpointId}/heads`)).text(),
    );
    writeFileSync(files.export, await (await get('/v1/audit/events')).text());
    writeFileSync(files.key, publicKey);
    const run = spawnSync(
      process.execPath,
      [VERIFY, '--checkpoints', files.heads, '--public-key', files.key, files.export],
      { encoding: 'utf8' },
    );
    return { code: run.status, out: run.stdout + run.stderr };
  }

  it('reports the rewrite in the checkpoint check and in verify-export --checkpoints', async () => {
    const api = new Api(app.baseUrl);
    const shop = await api.merchant('Honest shop');
    const factory = await api.supplier('Honest factory');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = (await api.open(shop.key, factory.id, 'oversize')).id;
      ids.push(id);
      for (let n = 0; n < 3; n++) {
        await api.event(shop.key, id, 'NOTE', { text: `note ${n}` }).expect(200);
      }
    }
    const made = await api.post('/v1/audit/checkpoints', OPS_KEY, {}).expect(201);
    expect(made.body).toMatchObject({ count: 3, root: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const listed = (await api.get('/v1/audit/checkpoints', OPS_KEY).expect(200)).body;
    expect(listed.items[0]).toEqual(made.body);
    const publicKey = listed.publicKey as string;

    const clean = await api.get(`/v1/audit/checkpoints/${made.body.id}/check`, OPS_KEY).expect(200);
    expect(clean.body).toMatchObject({ valid: true, signatureValid: true, computedCount: 3 });
    const before = await verifyExport(made.body.id, publicKey);
    expect(before.out).toMatch(/^OK 12 entries, 3 cases, every chain intact, 3 heads/);
    expect(before.code).toBe(0);

    await rewriteChain(db.pool, ids[1], 2, { text: 'we never promised a refund' });
    // The chain verifies as a chain: only a signature from outside the database can tell.
    const timeline = await api.get(`/v1/cases/${ids[1]}/timeline?verify=full`, OPS_KEY).expect(200);
    expect(timeline.body.integrity.valid).toBe(true);

    const caught = await api
      .get(`/v1/audit/checkpoints/${made.body.id}/check`, OPS_KEY)
      .expect(200);
    expect(caught.body).toMatchObject({
      valid: false,
      signatureValid: true,
      problem: 'the timeline no longer gives its root',
    });
    const after = await verifyExport(made.body.id, publicKey);
    expect(after.code).toBe(1);
    expect(after.out).toContain(`BROKEN checkpoint ${made.body.id}`);
    expect(after.out).toContain('a chain was rewritten since it was signed');
  });
});
