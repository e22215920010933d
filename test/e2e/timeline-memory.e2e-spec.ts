import { readFileSync } from 'node:fs';
import { AppProcess, startAppProcess } from '../support/app-process';
import { entryHash, TimelineEntry } from '../../src/timeline/hash-chain';
import { Api, OPS_KEY } from '../support/fixtures';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const MiB = 1024 * 1024;

/** The child's resident set, from /proc (what the operating system charges the process). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/**
 * hardening.md, "Bounded reads": one merchant's large timeline read in parallel must not take the
 * shared process with it. Measured on the built app as a child process (its RSS from /proc), so
 * jest's own memory does not count.
 */
describe('timeline reads in bounded memory (app process)', () => {
  let db: TestDatabase;
  let app: AppProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startAppProcess({
      DATABASE_URL: db.url,
      REDRESS_BOOTSTRAP_OPS_KEY: OPS_KEY,
      REDRESS_SCHEDULER: '0',
      REDRESS_DISPATCHER: '0',
      REDRESS_RATE_LIMIT_PER_SECOND: '100000',
      LOG_LEVEL: 'error',
    });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  /** Reads the timeline `times` in parallel; the child's RSS growth in MiB over its baseline. */
  async function parallelReadGrowth(id: string, key: string, times: number): Promise<number> {
    await new Promise((r) => setTimeout(r, 500));
    const pid = app.child.pid!;
    const base = rssOf(pid);
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 10);
    const answers = await Promise.all(
      Array.from({ length: times }, () =>
        fetch(`${app.baseUrl}/v1/cases/${id}/timeline`, {
          headers: { authorization: `Bearer ${key}` },
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as TimelineBody })),
      ),
    );
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(pid));
    for (const { status, body } of answers) {
      expect(status).toBe(200);
      expect(body.integrity.valid).toBe(true);
      expect(body.events.length).toBeGreaterThan(0);
    }
    return (peak - base) / MiB;
  }

  const text = (i: number) => `${i} `.padEnd(10_000, 'abcdefghij');

  it('200 NOTEs of 10,000 characters read 20 times in parallel: RSS grows < 100 MiB', async () => {
    const api = new Api(app.baseUrl);
    const shop = await api.merchant('Big talker');
    const factory = await api.supplier('Patient factory');
    const id = (await api.open(shop.key, factory.id, 'oversize')).id;
    const small = (await api.open(shop.key, factory.id, 'oversize')).id;
    for (let i = 0; i < 200; i++) {
      await api.event(shop.key, id, 'NOTE', { text: text(i) }).expect(200);
    }
    // Every code path warm (on another case), then the baseline.
    await api.timeline(shop.key, small).expect(200);
    expect(await parallelReadGrowth(id, shop.key, 20)).toBeLessThan(100);
  }, 120_000);

  it('a 20 MB timeline (2,000 NOTEs of 10,000 characters) read 20 times in parallel: < 100 MiB', async () => {
    const api = new Api(app.baseUrl);
    const shop = await api.merchant('Bigger talker');
    const factory = await api.supplier('Patient factory');
    const id = (await api.open(shop.key, factory.id, 'oversize')).id;
    const [opening] = (await api.timeline(shop.key, id).expect(200)).body.events as TimelineEntry[];
    // Written straight into the database with a valid chain: 2,000 HTTP events would only be slower.
    let prev = opening;
    const entries: TimelineEntry[] = [];
    for (let seq = 2; seq <= 2001; seq++) {
      const base = {
        ...prev,
        seq,
        at: new Date(Date.parse(opening.at) + seq).toISOString(),
        type: 'NOTE',
        fromState: opening.toState,
        payload: { text: text(seq) },
        prevHash: prev.hash,
      };
      prev = { ...base, hash: entryHash(base) };
      entries.push(prev);
    }
    for (let i = 0; i < entries.length; i += 200) {
      await db.pool.query(
        `INSERT INTO timeline_entries (case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash)
         SELECT e."caseId", e.seq, e.at, e.type, e.actor, e."fromState", e."toState", e.payload, e."prevHash", e.hash
         FROM jsonb_to_recordset($1::jsonb) AS e("caseId" uuid, seq int, at timestamptz, type text, actor jsonb,
           "fromState" text, "toState" text, payload jsonb, "prevHash" text, hash text)`,
        [JSON.stringify(entries.slice(i, i + 200))],
      );
    }
    await db.pool.query(`UPDATE cases SET version = 2001, last_hash = $2 WHERE id = $1`, [
      id,
      prev.hash,
    ]);
    expect(await parallelReadGrowth(id, shop.key, 20)).toBeLessThan(100);
  }, 120_000);
});

interface TimelineBody {
  events: unknown[];
  integrity: { valid: boolean };
}
