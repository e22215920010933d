import request from 'supertest';
import { DataSource } from 'typeorm';
import { PartySecrets } from '../../src/common/parties/party-secrets.service';
import { bearer, createMerchantWithKey } from '../support/auth';
import { order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const OPS_KEY = 'rk_test_bootstrap_keys_0123456789abcdef0123';
const ops = bearer(OPS_KEY);
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('API keys: listing, revocation and the authorization matrix', () => {
  let t: TestApp;
  let owner: { merchantId: string; key: string };
  let other: { merchantId: string; key: string };
  let supplier: { id: string; webhookSecret: string };

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    owner = await createMerchantWithKey(t.server, OPS_KEY, { name: 'Owner', country: 'FR' });
    other = await createMerchantWithKey(t.server, OPS_KEY, { name: 'Other', country: 'DE' });
    const res = await request(t.server)
      .post('/v1/suppliers')
      .set(ops)
      .send({ name: 'Factory', country: 'CN' })
      .expect(201);
    supplier = { id: res.body.id, webhookSecret: res.body.webhookSecret };
  });
  afterAll(() => t.close());

  const newKey = async (merchantId: string) =>
    (await request(t.server).post(`/v1/merchants/${merchantId}/api-keys`).set(ops).expect(201))
      .body as { id: string; key: string; prefix: string };
  const works = async (key: string) =>
    (await request(t.server).get('/v1/cases?limit=1').set(bearer(key))).status;

  it('lists a merchant’s keys for ops and for that merchant, never the key', async () => {
    const created = await newKey(owner.merchantId);
    expect(await works(created.key)).toBe(200);
    for (const who of [ops, bearer(owner.key)]) {
      const res = await request(t.server)
        .get(`/v1/merchants/${owner.merchantId}/api-keys`)
        .set(who)
        .expect(200);
      expect(res.text).not.toContain(created.key);
      expect(res.text).not.toContain(owner.key);
      const item = (res.body.items as Record<string, unknown>[]).find((k) => k.id === created.id);
      expect(item).toEqual({
        id: created.id,
        role: 'merchant',
        prefix: created.prefix,
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        revokedAt: null,
      });
      expect(Object.keys(item!).sort()).toEqual(
        ['createdAt', 'id', 'lastUsedAt', 'prefix', 'revokedAt', 'role'].sort(),
      );
      // Newest first, and only this merchant's keys.
      expect(res.body.items[0].id).toBe(created.id);
      expect(res.body.items).toHaveLength(2);
    }
    const never = await newKey(other.merchantId);
    const listed = await request(t.server)
      .get(`/v1/merchants/${other.merchantId}/api-keys`)
      .set(ops)
      .expect(200);
    expect(listed.body.items.find((k: { id: string }) => k.id === never.id).lastUsedAt).toBeNull();
  });

  it('revokes a key for its own merchant and for ops; it is refused at once and listed as revoked', async () => {
    for (const who of [bearer(owner.key), ops]) {
      const victim = await newKey(owner.merchantId);
      expect(await works(victim.key)).toBe(200); // known to the cache
      await request(t.server).delete(`/v1/api-keys/${victim.id}`).set(who).expect(204);
      const refused = await request(t.server).get('/v1/cases').set(bearer(victim.key)).expect(401);
      expect(refused.body).toMatchObject({ statusCode: 401, error: 'unauthorized' });
      const row = await t.db.pool.query(`SELECT revoked_at FROM api_keys WHERE id = $1`, [
        victim.id,
      ]);
      const revokedAt = (row.rows[0].revoked_at as Date).toISOString();
      // Twice is fine, and keeps the first time.
      await request(t.server).delete(`/v1/api-keys/${victim.id}`).set(ops).expect(204);
      const listed = await request(t.server)
        .get(`/v1/merchants/${owner.merchantId}/api-keys`)
        .set(ops)
        .expect(200);
      expect(listed.body.items.find((k: { id: string }) => k.id === victim.id).revokedAt).toBe(
        revokedAt,
      );
    }
  });

  it('a merchant may revoke its own key with that very key', async () => {
    const self = await newKey(owner.merchantId);
    await request(t.server).delete(`/v1/api-keys/${self.id}`).set(bearer(self.key)).expect(204);
    await request(t.server).get('/v1/cases').set(bearer(self.key)).expect(401);
  });

  it('gives another merchant 404 for a key or a merchant not its own, and changes nothing', async () => {
    const target = await newKey(owner.merchantId);
    await request(t.server)
      .delete(`/v1/api-keys/${target.id}`)
      .set(bearer(other.key))
      .expect(404)
      .expect((res) => expect(res.body).toMatchObject({ statusCode: 404, error: 'not_found' }));
    await request(t.server)
      .get(`/v1/merchants/${owner.merchantId}/api-keys`)
      .set(bearer(other.key))
      .expect(404);
    // An ops key is nobody's to revoke but ops'.
    const opsKeyId = (await t.db.pool.query(`SELECT id FROM api_keys WHERE role = 'ops' LIMIT 1`))
      .rows[0].id as string;
    await request(t.server).delete(`/v1/api-keys/${opsKeyId}`).set(bearer(owner.key)).expect(404);
    expect(await works(target.key)).toBe(200);
    expect(await works(OPS_KEY)).toBe(200);
    const revoked = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM api_keys WHERE id = ANY($1) AND revoked_at IS NOT NULL`,
      [[target.id, opsKeyId]],
    );
    expect(revoked.rows[0].n).toBe(0);
  });

  it('answers 404 for unknown or malformed key and merchant ids', async () => {
    await request(t.server).delete(`/v1/api-keys/${UNKNOWN_ID}`).set(ops).expect(404);
    await request(t.server).delete('/v1/api-keys/not-a-uuid').set(ops).expect(404);
    await request(t.server).get(`/v1/merchants/${UNKNOWN_ID}/api-keys`).set(ops).expect(404);
    await request(t.server).get('/v1/merchants/nope/api-keys').set(ops).expect(404);
  });

  describe('authorization matrix of the new routes', () => {
    type Who = 'ops' | 'owner' | 'other' | 'supplier' | 'none' | 'bad';
    const headers = (who: Who): Record<string, string> =>
      ({
        ops,
        owner: bearer(owner.key),
        other: bearer(other.key),
        // A supplier has no API key: its webhook secret is no bearer key.
        supplier: bearer(supplier.webhookSecret),
        none: {},
        bad: bearer('rk_live_not_a_key_at_all_0000000000000000000000'),
      })[who];
    const routes = () => [
      { method: 'get', path: `/v1/merchants/${owner.merchantId}/api-keys` },
      { method: 'delete', path: `/v1/api-keys/${UNKNOWN_ID}` },
      { method: 'post', path: `/v1/merchants/${owner.merchantId}/rotate-secret`, body: {} },
      { method: 'patch', path: `/v1/merchants/${owner.merchantId}`, body: { name: 'Owner' } },
      { method: 'patch', path: `/v1/suppliers/${supplier.id}`, body: { name: 'Factory' } },
      { method: 'get', path: '/v1/merchants' },
      { method: 'get', path: '/v1/suppliers' },
    ];
    // Expected status per caller: ops and the owner where allowed; never a 2xx across tenants.
    const expected: Record<string, Record<Who, number[]>> = {
      'get /v1/merchants/:id/api-keys': {
        ops: [200],
        owner: [200],
        other: [404],
        supplier: [401],
        none: [401],
        bad: [401],
      },
      'delete /v1/api-keys/:id': {
        ops: [404],
        owner: [404],
        other: [404],
        supplier: [401],
        none: [401],
        bad: [401],
      },
    };
    const opsOnly = (okStatus: number): Record<Who, number[]> => ({
      ops: [okStatus],
      owner: [403],
      other: [403],
      supplier: [401],
      none: [401],
      bad: [401],
    });

    it('refuses every caller that is not allowed, with the contract’s codes', async () => {
      const names = (r: { method: string; path: string }) =>
        `${r.method} ${r.path
          .replace(owner.merchantId, ':id')
          .replace(supplier.id, ':id')
          .replace(UNKNOWN_ID, ':id')}`;
      for (const route of routes()) {
        // Three failed authentications per route: a fresh second keeps the address under 20.
        await new Promise((r) => setTimeout(r, 1000));
        const name = names(route);
        const want = expected[name] ?? opsOnly(route.method === 'post' ? 201 : 200);
        for (const who of ['ops', 'owner', 'other', 'supplier', 'none', 'bad'] as Who[]) {
          const req = request(t.server)[route.method as 'get'](route.path).set(headers(who));
          const res = route.body ? await req.send(route.body) : await req;
          expect({ name, who, status: res.status }).toEqual({
            name,
            who,
            status: want[who].includes(res.status) ? res.status : want[who],
          });
          if (res.status >= 400) expect(res.body.error).toEqual(expect.any(String));
          if (who === 'other' || who === 'supplier' || who === 'none' || who === 'bad') {
            expect(res.status).toBeGreaterThanOrEqual(400);
          }
        }
      }
    });

    it('gives a merchant 404 for another merchant’s ids on every route it may use', async () => {
      const theirs = await newKey(other.merchantId);
      await request(t.server)
        .get(`/v1/merchants/${other.merchantId}/api-keys`)
        .set(bearer(owner.key))
        .expect(404);
      await request(t.server)
        .delete(`/v1/api-keys/${theirs.id}`)
        .set(bearer(owner.key))
        .expect(404);
      expect(await works(theirs.key)).toBe(200);
    });
  });

  describe('failed authentications', () => {
    const fresh = () => new Promise((r) => setTimeout(r, 1100)); // a window of its own
    const guess = (i: number) =>
      request(t.server)
        .get('/v1/cases')
        .set(bearer(`rk_live_guess_${i}_${'x'.repeat(30)}`));

    it('answer 429 after 20 a second from one address, in the contract’s shape', async () => {
      await fresh();
      const started = performance.now();
      const statuses: number[] = [];
      let limited: request.Response | null = null;
      for (let i = 0; i < 25; i++) {
        const res = await guess(i);
        statuses.push(res.status);
        if (res.status === 429) limited ??= res;
      }
      const elapsed = performance.now() - started;
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
      // Within one second (the usual case) the last five are refused; on a machine so loaded that
      // 25 requests took longer, a new window may have begun.
      if (elapsed < 1000) expect(statuses.slice(20)).toEqual(Array(5).fill(429));
      if (limited) {
        expect(limited.headers['retry-after']).toBe('1');
        expect(limited.body).toMatchObject({ statusCode: 429, error: 'rate_limited' });
        expect(typeof limited.body.message).toBe('string');
      }
      expect(limited ?? elapsed >= 1000).toBeTruthy();
    });

    it('a known key keeps working while its address is limited; a missing key counts too', async () => {
      await fresh();
      expect(await works(owner.key)).toBe(200); // known to the cache
      const started = performance.now();
      const spy = jest.spyOn(t.app.get(DataSource), 'query');
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) {
        statuses.push((await request(t.server).get('/v1/cases')).status);
      }
      const refusedUnknown = (await guess(99)).status;
      const lookups = spy.mock.calls.filter(([sql]) => String(sql).includes('FROM api_keys'));
      spy.mockRestore();
      const elapsed = performance.now() - started;
      expect(await works(owner.key)).toBe(200);
      if (elapsed < 1000) {
        expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
        expect(statuses.slice(20)).toEqual(Array(5).fill(429));
        // Refused before any lookup.
        expect(refusedUnknown).toBe(429);
        expect(lookups).toHaveLength(0);
      }
      await fresh();
    });
  });
});

describe('Merchants and suppliers: PATCH, lists, rotation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
  });
  afterAll(() => t.close());

  const create = async (kind: 'merchants' | 'suppliers', name: string) =>
    (
      await request(t.server)
        .post(`/v1/${kind}`)
        .set(ops)
        .send({ name, country: kind === 'merchants' ? 'FR' : 'CN' })
        .expect(201)
    ).body as { id: string; webhookSecret: string };

  it.each(['merchants', 'suppliers'] as const)(
    'PATCH /v1/%s/:id changes name, webhookUrl, language, timezone, and country while there is no case',
    async (kind) => {
      const party = await create(kind, 'Before');
      const res = await request(t.server)
        .patch(`/v1/${kind}/${party.id}`)
        .set(ops)
        .send({
          name: 'After',
          webhookUrl: 'https://93.184.216.34/hooks',
          language: 'pt-br',
          timezone: 'America/Sao_Paulo',
          country: 'BR',
        })
        .expect(200);
      expect(res.body).toMatchObject({
        id: party.id,
        name: 'After',
        webhookUrl: 'https://93.184.216.34/hooks',
        language: 'pt-BR',
        timezone: 'America/Sao_Paulo',
        country: 'BR',
      });
      expect(res.body).not.toHaveProperty('webhookSecret');
      const read = await request(t.server).get(`/v1/${kind}/${party.id}`).set(ops).expect(200);
      expect(read.body).toEqual(res.body);

      // null removes the optional ones; fields not sent stay.
      const cleared = await request(t.server)
        .patch(`/v1/${kind}/${party.id}`)
        .set(ops)
        .send({ webhookUrl: null, language: null, timezone: null })
        .expect(200);
      expect(cleared.body).toMatchObject({
        name: 'After',
        country: 'BR',
        webhookUrl: null,
        language: null,
        timezone: null,
      });
    },
  );

  it('refuses bad fields in one 400 and changes nothing', async () => {
    const merchant = await create('merchants', 'Steady');
    const res = await request(t.server)
      .patch(`/v1/merchants/${merchant.id}`)
      .set(ops)
      .send({
        name: null,
        country: 'XX',
        timezone: 'Mars/Base',
        language: 'not a tag',
        webhookUrl: 'ftp://x',
        webhookSecret: 'whsec_mine',
      })
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    expect(new Set(res.body.details.map((d: { field: string }) => d.field))).toEqual(
      new Set(['name', 'country', 'timezone', 'language', 'webhookUrl', 'webhookSecret']),
    );
    // The outbound URL policy: loopback, private and plain http are refused.
    for (const webhookUrl of [
      'https://127.0.0.1/x',
      'https://10.0.0.1/x',
      'http://93.184.216.34/',
    ]) {
      const refused = await request(t.server)
        .patch(`/v1/merchants/${merchant.id}`)
        .set(ops)
        .send({ name: 'Changed', webhookUrl })
        .expect(400);
      expect(refused.body.details[0].field).toBe('webhookUrl');
    }
    const read = await request(t.server).get(`/v1/merchants/${merchant.id}`).set(ops).expect(200);
    expect(read.body).toMatchObject({ name: 'Steady', country: 'FR', webhookUrl: null });
    await request(t.server).patch(`/v1/merchants/${UNKNOWN_ID}`).set(ops).send({}).expect(404);
    await request(t.server).patch(`/v1/suppliers/${UNKNOWN_ID}`).set(ops).send({}).expect(404);
  });

  it('409 country_locked once the party has a case; the same country and other fields still change', async () => {
    const { merchantId, key } = await createMerchantWithKey(t.server, OPS_KEY, {
      name: 'Busy',
      country: 'FR',
    });
    const supplier = await create('suppliers', 'Busy factory');
    await request(t.server)
      .post('/v1/cases')
      .set(bearer(key))
      .send({ type: 'out_of_stock', supplierId: supplier.id, order: order() })
      .expect(201);
    for (const [kind, id, country] of [
      ['merchants', merchantId, 'DE'],
      ['suppliers', supplier.id, 'DE'],
    ]) {
      const res = await request(t.server)
        .patch(`/v1/${kind}/${id}`)
        .set(ops)
        .send({ name: 'Renamed', country })
        .expect(409);
      expect(res.body).toMatchObject({
        statusCode: 409,
        error: 'country_locked',
        details: [{ field: 'country' }],
      });
      const read = await request(t.server).get(`/v1/${kind}/${id}`).set(ops).expect(200);
      expect(read.body.name).not.toBe('Renamed');
      await request(t.server)
        .patch(`/v1/${kind}/${id}`)
        .set(ops)
        .send({ name: 'Renamed', country: read.body.country })
        .expect(200);
    }
  });

  it.each(['merchants', 'suppliers'] as const)(
    'GET /v1/%s pages newest first with limit and nextCursor; a forged cursor is 400 on cursor',
    async (kind) => {
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push((await create(kind, `Paged ${i}`)).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
        const res = await request(t.server).get(`/v1/${kind}${query}`).set(ops).expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        for (const item of res.body.items) expect(item).not.toHaveProperty('webhookSecret');
        seen.push(...res.body.items.map((p: { id: string }) => p.id));
        cursor = res.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      expect(new Set(seen).size).toBe(seen.length);
      // The five made last come first, newest first.
      expect(seen.slice(0, 5)).toEqual([...made].reverse());
      const all = await t.db.pool.query(`SELECT count(*)::int AS n FROM ${kind}`);
      expect(seen).toHaveLength(all.rows[0].n);

      for (const forged of [
        'garbage!',
        Buffer.from('2026-01-01T00:00:00.000Z|not-a-uuid').toString('base64url'),
        Buffer.from(`99999-01-01T00:00:00.000Z|${UNKNOWN_ID}`).toString('base64url'),
        Buffer.from('{"createdAt":1}').toString('base64url'),
      ]) {
        const res = await request(t.server)
          .get(`/v1/${kind}?cursor=${encodeURIComponent(forged)}`)
          .set(ops)
          .expect(400);
        expect(res.body).toMatchObject({
          error: 'validation_failed',
          details: [{ field: 'cursor' }],
        });
      }
      for (const limit of ['0', '201', 'x']) {
        await request(t.server).get(`/v1/${kind}?limit=${limit}`).set(ops).expect(400);
      }
    },
  );

  it('rotates a merchant’s secret: both verify for 24 h (stored sealed), unknown merchant 404', async () => {
    const merchant = await create('merchants', 'Rotating');
    const res = await request(t.server)
      .post(`/v1/merchants/${merchant.id}/rotate-secret`)
      .set(ops)
      .expect(201);
    expect(res.body.webhookSecret).toMatch(/^whsec_/);
    expect(res.body.webhookSecret).not.toBe(merchant.webhookSecret);
    const rows = await t.db.pool.query(
      `SELECT secret_sealed, expires_at FROM merchant_secrets WHERE merchant_id = $1 ORDER BY id`,
      [merchant.id],
    );
    expect(rows.rows).toHaveLength(2);
    expect((rows.rows[0].expires_at as Date).toISOString()).toBe(res.body.previousSecretExpiresAt);
    expect(rows.rows[1].expires_at).toBeNull();
    for (const row of rows.rows) expect(row.secret_sealed).toMatch(/^sb1\./);
    await request(t.server).post(`/v1/merchants/${UNKNOWN_ID}/rotate-secret`).set(ops).expect(404);
  });

  it('seals at boot the secrets stored in plain text before sealing existed', async () => {
    const supplier = await create('suppliers', 'Old');
    const merchant = await create('merchants', 'Old');
    const plain = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
    await t.db.pool.query(`UPDATE supplier_secrets SET secret_sealed = $2 WHERE supplier_id = $1`, [
      supplier.id,
      plain,
    ]);
    await t.db.pool.query(`UPDATE merchant_secrets SET secret_sealed = $2 WHERE merchant_id = $1`, [
      merchant.id,
      plain,
    ]);
    const secrets = t.app.get(PartySecrets);
    // Readable as they are until then...
    expect(await secrets.active('supplier', supplier.id, new Date())).toEqual([plain]);
    await secrets.sealPlainSecrets();
    const left = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM (SELECT secret_sealed FROM supplier_secrets
         UNION ALL SELECT secret_sealed FROM merchant_secrets) s WHERE secret_sealed NOT LIKE 'sb1.%'`,
    );
    expect(left.rows[0].n).toBe(0);
    // ...and the same secret once sealed.
    expect(await secrets.active('supplier', supplier.id, new Date())).toEqual([plain]);
    expect(await secrets.active('merchant', merchant.id, new Date())).toEqual([plain]);
  });
});
