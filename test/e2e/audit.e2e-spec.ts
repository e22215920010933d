import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { entryHash } from '../../src/timeline/hash-chain';
import { Api, OPS_KEY } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const VERIFY = join(__dirname, '..', '..', 'scripts', 'verify-export.js');
const FIELDS = [
  'caseId',
  'seq',
  'at',
  'type',
  'actor',
  'fromState',
  'toState',
  'payload',
  'prevHash',
  'hash',
];

/** RFC 4180 records (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

const lines = (text: string) => text.split('\n').filter(Boolean);

function verify(content: string, ...flags: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'redress-export-'));
  const file = join(dir, 'export.ndjson');
  writeFileSync(file, content);
  const run = spawnSync(process.execPath, [VERIFY, ...flags, file], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  return { code: run.status, out: run.stdout + run.stderr };
}

describe('audit export (GET /v1/audit/events)', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let factory: { id: string };
  const cases: string[] = [];

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
    shop = await api.merchant('Audited shop');
    factory = await api.supplier('Audited factory');
    for (let i = 0; i < 3; i++) cases.push((await api.open(shop.key, factory.id, 'oversize')).id);
    await api
      .event(shop.key, cases[0], 'NOTE', { text: 'a, "quoted"\nmultiline note' })
      .expect(200);
    await api.event(OPS_KEY, cases[1], 'NOTE', { text: 'ops looked' }).expect(200);
    await api.event(shop.key, cases[0], 'NOTE', { text: 'second' }).expect(200);
    await api
      .event(OPS_KEY, cases[2], 'REFUNDED', { amount: '39.98', currency: 'EUR' })
      .expect(200);
  });
  afterAll(() => t.close());

  const exportOf = (query = '') => api.get(`/v1/audit/events${query}`, OPS_KEY).buffer(true);

  it('streams every entry of every case as NDJSON by (at, caseId, seq), with hashes', async () => {
    const res = await exportOf().expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const entries = lines(res.text).map((l) => JSON.parse(l));
    const { rows } = await t.db.pool.query<{ case_id: string; seq: number }>(
      `SELECT case_id, seq FROM timeline_entries ORDER BY at, case_id, seq`,
    );
    expect(entries.map((e) => [e.caseId, e.seq])).toEqual(rows.map((r) => [r.case_id, r.seq]));
    expect(Object.keys(entries[0]).sort()).toEqual([...FIELDS].sort());
    for (const id of cases) {
      const timeline = (await api.timeline(OPS_KEY, id).expect(200)).body.events;
      expect(entries.filter((e) => e.caseId === id)).toEqual(timeline);
    }
  });

  it('filters by case, type, actor and time', async () => {
    const one = lines((await exportOf(`?caseId=${cases[0]}`).expect(200)).text).map((l) =>
      JSON.parse(l),
    );
    expect(one.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(new Set(one.map((e) => e.caseId))).toEqual(new Set([cases[0]]));

    const notes = lines((await exportOf('?type=NOTE').expect(200)).text).map((l) => JSON.parse(l));
    expect(notes).toHaveLength(3);
    const several = lines((await exportOf('?type=NOTE,REFUNDED').expect(200)).text);
    expect(several).toHaveLength(4);

    const ops = lines((await exportOf('?actor=ops').expect(200)).text).map((l) => JSON.parse(l));
    expect(ops.map((e) => e.type).sort()).toEqual(['NOTE', 'REFUNDED']);
    const mine = lines((await exportOf(`?actor=merchant:${shop.id}`).expect(200)).text);
    expect(mine).toHaveLength(5); // 3 openings, 2 notes

    const all = lines((await exportOf().expect(200)).text).map((l) => JSON.parse(l));
    const pivot = all[4].at as string;
    const since = lines((await exportOf(`?since=${pivot}`).expect(200)).text).map((l) =>
      JSON.parse(l),
    );
    const until = lines((await exportOf(`?until=${pivot}`).expect(200)).text).map((l) =>
      JSON.parse(l),
    );
    expect(since.every((e) => e.at >= pivot)).toBe(true);
    expect(until.every((e) => e.at < pivot)).toBe(true);
    expect(since.length + until.length).toBe(all.length);
    expect(lines((await exportOf('?since=2000-01-01&until=2000-01-02').expect(200)).text)).toEqual(
      [],
    );
  });

  it('serves CSV with a header row, JSON cells and RFC 4180 quoting', async () => {
    const res = await exportOf(`?format=csv&caseId=${cases[0]}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...records] = parseCsv(res.text);
    expect(header).toEqual(FIELDS);
    const json = (await api.timeline(OPS_KEY, cases[0]).expect(200)).body.events;
    expect(records).toHaveLength(json.length);
    records.forEach((cells, i) => {
      const e = json[i];
      expect(cells).toEqual([
        e.caseId,
        String(e.seq),
        e.at,
        e.type,
        JSON.stringify(e.actor),
        e.fromState ?? '',
        e.toState ?? '',
        JSON.stringify(e.payload),
        e.prevHash,
        e.hash,
      ]);
    });
    expect(JSON.parse(records[1][7])).toEqual({ text: 'a, "quoted"\nmultiline note' });
  });

  it('is for ops only; bad parameters are 400 validation_failed', async () => {
    const merchant = await api.get('/v1/audit/events', shop.key).expect(403);
    expect(merchant.body.error).toBe('forbidden');
    await api.get('/v1/audit/events', null).expect(401);
    for (const query of [
      '?format=xml',
      '?since=yesterday',
      '?until=2026-13-01',
      '?caseId=nope',
      '?type=note;drop',
      '?actor=buyer',
      '?since=2026-02-01&until=2026-01-01',
      '?unknown=1',
      '?after=bm90LWEtY3Vyc29y',
      `?after=${Buffer.from(JSON.stringify(['2026-13-45 99:00:00+00', cases[0], 1, '1:2:'])).toString('base64url')}`,
      `?after=${Buffer.from(JSON.stringify(['2026-01-01 00:00:00+00', cases[0], 1, "1:2:'; --"])).toString('base64url')}`,
      '?limit=0',
    ]) {
      const res = await api.get(`/v1/audit/events${query}`, OPS_KEY);
      expect([query, res.status, res.body.error]).toEqual([query, 400, 'validation_failed']);
      expect(res.body.details.length).toBeGreaterThan(0);
    }
  });

  describe('verify-export', () => {
    let clean: string;
    beforeAll(async () => {
      clean = (await exportOf().expect(200)).text;
    });

    it('accepts a clean export', () => {
      const run = verify(clean);
      expect(run.out).toMatch(/^OK \d+ entries, 3 cases/);
      expect(run.code).toBe(0);
    });

    it('rejects an edited entry, naming it', () => {
      const edited = clean.replace('"text":"second"', '"text":"forged"');
      expect(edited).not.toBe(clean);
      const run = verify(edited);
      expect(run.code).toBe(1);
      expect(run.out).toContain(`case ${cases[0]} seq 3: hash does not match`);
    });

    it('rejects a removed entry', () => {
      const all = lines(clean);
      // The case's first note (seq 2): a gap before seq 3. (A removed last entry leaves a valid,
      // shorter chain: compare the head with GET /v1/cases/:id/timeline's integrity.head.)
      const at = all.findIndex((l) => l.includes('multiline note'));
      const run = verify([...all.slice(0, at), ...all.slice(at + 1)].join('\n'));
      expect(run.code).toBe(1);
      expect(run.out).toMatch(/BROKEN line \d+: case .* seq 3: expected seq 2/);
    });

    it('rejects reordered entries', () => {
      const all = lines(clean);
      const a = all.findIndex((l) => l.includes('"text":"second"'));
      const b = all.findIndex((l) => l.includes('multiline note'));
      [all[a], all[b]] = [all[b], all[a]];
      const run = verify(all.join('\n'));
      expect(run.code).toBe(1);
      expect(run.out).toContain(`case ${cases[0]} seq 3: expected seq 2`);
    });

    it('accepts a chain starting mid-way only with --partial', async () => {
      const notes = (await exportOf('?type=NOTE').expect(200)).text;
      expect(verify(notes).code).toBe(1);
      expect(verify(notes, '--partial').code).toBe(0);
    });
  });

  it('pages with limit and Redress-Next-Cursor; the pages put together are the whole export', async () => {
    const whole = lines((await exportOf().expect(200)).text);
    const paged: string[] = [];
    let res = await exportOf('?limit=3').expect(200);
    for (let i = 0; i < 10; i++) {
      const page = lines(res.text);
      paged.push(...page);
      expect(page.length).toBeLessThanOrEqual(3);
      expect(res.headers.link).toContain('rel="next"');
      if (page.length === 0) break;
      res = await exportOf(`?limit=3&after=${res.headers['redress-next-cursor']}`).expect(200);
    }
    expect(paged).toEqual(whole);
  });

  it('an incremental reader gets an entry that commits late with an earlier at', async () => {
    const late = (await api.open(shop.key, factory.id, 'oversize')).id;
    const opening = (await api.timeline(OPS_KEY, late).expect(200)).body.events[0];
    const start = await exportOf().expect(200);
    let cursor = start.headers['redress-next-cursor'];

    // Session A: a writer that took its `at` first and has not committed yet.
    const writer = await t.db.pool.connect();
    const entry = {
      caseId: late,
      seq: 2,
      // Earlier than the quick writer's entry below, not earlier than its own case's opening.
      at: new Date(Date.parse(opening.at) + 1).toISOString(),
      type: 'NOTE',
      actor: { kind: 'ops', id: null },
      fromState: opening.toState,
      toState: opening.toState,
      payload: { text: 'slow writer' },
      prevHash: opening.hash,
    };
    const hash = entryHash(entry);
    try {
      await writer.query('BEGIN');
      await writer.query(
        `INSERT INTO timeline_entries (case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash)
         VALUES ($1, 2, $2, 'NOTE', $3, $4, $4, $5, $6, $7)`,
        [late, entry.at, entry.actor, entry.toState, entry.payload, entry.prevHash, hash],
      );
      await writer.query(`UPDATE cases SET version = 2, last_hash = $2 WHERE id = $1`, [
        late,
        hash,
      ]);

      // Session B (the app) commits a later entry; the reader reads past it.
      await api.event(OPS_KEY, cases[1], 'NOTE', { text: 'quick writer' }).expect(200);
      const first = await exportOf(`?after=${cursor}`).expect(200);
      expect(lines(first.text).map((l) => JSON.parse(l).payload.text)).toEqual(['quick writer']);
      cursor = first.headers['redress-next-cursor'];
      await writer.query('COMMIT');
    } finally {
      writer.release();
    }
    const second = await exportOf(`?after=${cursor}`).expect(200);
    const got = lines(second.text).map((l) => JSON.parse(l));
    expect(got).toEqual([{ ...entry, hash }]);
    const third = await exportOf(`?after=${second.headers['redress-next-cursor']}`).expect(200);
    expect(third.text).toBe('');
    // The chains still verify, however the pages were put together.
    expect(verify(start.text + lines(second.text).join('\n')).code).toBe(0);
  });

  it('streams 200,000 entries in flat memory', async () => {
    const big = (await api.open(shop.key, factory.id, 'oversize')).id;
    const N = 200_000;
    // Hashes need not verify here: this is about memory. Seq continues the case's chain.
    await t.db.pool.query(
      `INSERT INTO timeline_entries (case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash)
       SELECT $1, g + 1, now() + g * interval '1 ms', 'NOTE', '{"kind":"ops","id":null}',
              'refund_pending', 'refund_pending', jsonb_build_object('text', 'bulk note ' || g),
              md5(g::text) || md5(g::text), md5((g + 1)::text) || md5((g + 1)::text)
       FROM generate_series(1, $2::int) g`,
      [big, N],
    );
    // What autovacuum would do after a bulk load: without statistics the planner sorts.
    await t.db.pool.query('ANALYZE timeline_entries');

    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const server = t.app.getHttpServer() as http.Server;
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;

    // A first export warms up what any first request allocates once (pg buffers, the HTTP
    // machinery, the allocator's arenas): what is measured is the export's own memory.
    const exportAll = () =>
      new Promise<{ count: number; bytes: number }>((resolve, reject) => {
        const req = http.get(
          {
            host: '127.0.0.1',
            port,
            path: `/v1/audit/events?caseId=${big}`,
            headers: { authorization: `Bearer ${OPS_KEY}` },
          },
          (res) => {
            let newlines = 0;
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) newlines++;
            });
            res.on('end', () => resolve({ count: newlines, bytes: size }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
      });
    await exportAll();
    gc();
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakHeap = base.heapUsed;
    // Live memory: collected before each sample, so garbage awaiting a GC does not count.
    const sampler = setInterval(() => {
      gc();
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 1000);
    const { count, bytes } = await exportAll();
    clearInterval(sampler);
    const MiB = 1024 * 1024;
    // The whole export is far larger than the allowance: a buffered one could not pass.
    expect(bytes).toBeGreaterThan(60 * MiB);
    expect(count).toBe(N + 1);
    expect((peakRss - base.rss) / MiB).toBeLessThan(50);
    expect((peakHeap - base.heapUsed) / MiB).toBeLessThan(50);
  }, 300_000);
});
