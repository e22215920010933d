import { entryHash } from '../../src/timeline/hash-chain';
import { Api, OPS_KEY } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** hardening.md, "Bounded reads": pages, an incrementally verified chain, version against seq. */
describe('timeline pages and integrity (GET /v1/cases/:id/timeline)', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let factory: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
    shop = await api.merchant('Paged shop');
    factory = await api.supplier('Paged factory');
  });
  afterAll(() => t.close());

  async function caseWithNotes(notes: number): Promise<string> {
    const id = (await api.open(shop.key, factory.id, 'oversize')).id;
    for (let i = 1; i <= notes; i++) {
      await api.event(shop.key, id, 'NOTE', { text: `note ${i}` }).expect(200);
    }
    return id;
  }

  /** Edits an entry behind the database's back (as someone with database access could). */
  async function tamper(sql: string, params: unknown[]) {
    const client = await t.db.pool.connect();
    try {
      await client.query('ALTER TABLE timeline_entries DISABLE TRIGGER USER');
      await client.query(sql, params);
      await client.query('ALTER TABLE timeline_entries ENABLE TRIGGER USER');
    } finally {
      client.release();
    }
  }

  const page = (id: string, query: string, key = shop.key) =>
    api.get(`/v1/cases/${id}/timeline${query}`, key);

  it('pages with limit and after; nextAfter is null at the end; integrity covers the chain', async () => {
    const id = await caseWithNotes(7);
    const whole = (await page(id, '').expect(200)).body;
    expect(whole.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(whole.nextAfter).toBeNull();
    expect(whole.integrity).toEqual({ valid: true, head: whole.events[7].hash });

    const seqs: number[][] = [];
    let after: number | null = 0;
    while (after !== null) {
      const res = await page(id, `?limit=3&after=${after}`).expect(200);
      const body = res.body as { events: { seq: number }[]; nextAfter: number | null };
      seqs.push(body.events.map((e) => e.seq));
      expect(res.body.integrity).toEqual(whole.integrity);
      after = body.nextAfter;
    }
    expect(seqs).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8],
    ]);
    const past = (await page(id, '?after=8').expect(200)).body;
    expect(past).toMatchObject({ events: [], nextAfter: null, integrity: { valid: true } });
  });

  it('refuses bad paging parameters with 400, and verify=full to a merchant with 403', async () => {
    const id = await caseWithNotes(0);
    for (const query of [
      '?limit=0',
      '?limit=1001',
      '?limit=x',
      '?after=-1',
      '?after=1.5',
      '?verify=some',
    ]) {
      const res = await page(id, query);
      expect([query, res.status, res.body.error]).toEqual([query, 400, 'validation_failed']);
    }
    expect((await page(id, '?verify=full').expect(403)).body.error).toBe('forbidden');
    await page(id, '?verify=full', OPS_KEY).expect(200);
  });

  it('keeps a verified prefix and checks only what was added since; verify=full rechecks all', async () => {
    const id = await caseWithNotes(40);
    expect((await page(id, '?limit=5').expect(200)).body.integrity.valid).toBe(true);
    const prefix = await t.db.pool.query(
      `SELECT seq, hash FROM timeline_verified WHERE case_id = $1`,
      [id],
    );
    expect(prefix.rows).toEqual([{ seq: 41, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }]);

    // An entry inside the verified prefix edited: an ordinary read trusts the prefix (that is what
    // keeps it cheap); verify=full recomputes every hash and finds it.
    await tamper(
      `UPDATE timeline_entries SET payload = '{"text":"forged"}' WHERE case_id = $1 AND seq = 5`,
      [id],
    );
    expect((await page(id, '?limit=1').expect(200)).body.integrity.valid).toBe(true);
    const full = (await page(id, '?limit=1&verify=full', OPS_KEY).expect(200)).body.integrity;
    expect(full).toMatchObject({
      valid: false,
      brokenAt: 5,
      problem: 'hash does not match the entry',
    });

    // The prefix's own last entry replaced: seen by every read.
    await tamper(
      `UPDATE timeline_entries SET hash = repeat('a', 64) WHERE case_id = $1 AND seq = 41`,
      [id],
    );
    const res = (await page(id, '?limit=1').expect(200)).body.integrity;
    expect(res).toMatchObject({ valid: false, brokenAt: 41 });
  });

  it('checks the entries after the page too: a broken last entry shows on the first page', async () => {
    const id = await caseWithNotes(5);
    await tamper(
      `UPDATE timeline_entries SET payload = '{"text":"forged"}' WHERE case_id = $1 AND seq = 6`,
      [id],
    );
    const body = (await page(id, '?limit=2').expect(200)).body;
    expect(body.events.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
    expect(body.nextAfter).toBe(2);
    expect(body.integrity).toMatchObject({ valid: false, brokenAt: 6 });
  });

  it('reports a case whose version differs from its last seq as invalid, never a 500', async () => {
    const id = await caseWithNotes(1);
    const head = (await page(id, '').expect(200)).body.events[1];
    // A well-formed entry 3 slipped in behind the case's back: the chain is fine, the version not.
    const forged = {
      caseId: id,
      seq: 3,
      at: new Date().toISOString(),
      type: 'NOTE',
      actor: { kind: 'ops', id: null },
      fromState: head.toState,
      toState: head.toState,
      payload: { text: 'slipped in' },
      prevHash: head.hash,
    };
    await t.db.pool.query(
      `INSERT INTO timeline_entries (case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash)
       VALUES ($1, 3, $2, 'NOTE', $3, $4, $5, $6, $7, $8)`,
      [
        id,
        forged.at,
        forged.actor,
        forged.fromState,
        forged.toState,
        forged.payload,
        forged.prevHash,
        entryHash(forged),
      ],
    );
    const body = (await page(id, '').expect(200)).body;
    expect(body.events).toHaveLength(3);
    expect(body.integrity).toMatchObject({
      valid: false,
      problem: "the case's version 2 differs from its last seq 3",
    });
    // A write to it is refused as an integrity failure, and writes nothing.
    const write = await api.event(shop.key, id, 'NOTE', { text: 'next' });
    expect([write.status, write.body.error]).toEqual([409, 'integrity_error']);
    const after = (await page(id, '').expect(200)).body;
    expect(after.events).toHaveLength(3);
  });

  it('refuses a write to a case whose last entry was removed (version ahead): 409 integrity_error', async () => {
    const id = await caseWithNotes(2);
    await tamper(`DELETE FROM timeline_entries WHERE case_id = $1 AND seq = 3`, [id]);
    const read = (await page(id, '').expect(200)).body;
    expect(read.integrity).toMatchObject({
      valid: false,
      problem: "the case's version 3 differs from its last seq 2",
    });
    const write = await api.event(shop.key, id, 'NOTE', { text: 'into the gap' });
    expect([write.status, write.body.error]).toEqual([409, 'integrity_error']);
    const evidence = await api.evidence(shop.key, id);
    expect([evidence.status, evidence.body.error]).toEqual([409, 'integrity_error']);
    const { rows } = await t.db.pool.query(
      `SELECT max(seq) AS last FROM timeline_entries WHERE case_id = $1`,
      [id],
    );
    expect(rows[0].last).toBe(2);
  });
});
