import request from 'supertest';
import { SupplierService } from '../../src/suppliers/supplier.service';
import { PartySecrets } from '../../src/common/parties/party-secrets.service';
import { bearer, createMerchantWithKey } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

const OPS_KEY = 'rk_test_bootstrap_merchants_0123456789abcdef';
const ops = bearer(OPS_KEY);
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const SECRET = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

function secretBytes(secret: string): number {
  return Buffer.from(SECRET.exec(secret)![1], 'base64').length;
}

describe('merchants and suppliers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
  });
  afterAll(() => t.close());

  describe('merchants', () => {
    it('creates a merchant and shows its webhook secret once', async () => {
      const res = await request(t.server)
        .post('/v1/merchants')
        .set(ops)
        .send({ name: 'Acme', country: 'FR', timezone: 'Europe/Paris', language: 'fr-fr' })
        .expect(201);
      expect(res.body).toMatchObject({
        name: 'Acme',
        country: 'FR',
        timezone: 'Europe/Paris',
        language: 'fr-FR',
        webhookUrl: null,
      });
      expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.webhookSecret).toMatch(SECRET);
      expect(secretBytes(res.body.webhookSecret)).toBeGreaterThanOrEqual(24);

      const read = await request(t.server).get(`/v1/merchants/${res.body.id}`).set(ops).expect(200);
      expect(read.body).not.toHaveProperty('webhookSecret');
      expect(read.body).toMatchObject({
        id: res.body.id,
        name: 'Acme',
        createdAt: res.body.createdAt,
      });

      // Stored sealed, and opens back to the secret shown.
      const stored = await t.db.pool.query(
        `SELECT secret_sealed FROM merchant_secrets WHERE merchant_id = $1`,
        [res.body.id],
      );
      expect(stored.rows).toHaveLength(1);
      expect(stored.rows[0].secret_sealed).toMatch(/^sb1\./);
      expect(stored.rows[0].secret_sealed).not.toContain(res.body.webhookSecret.slice(6));
      const secrets = await t.app.get(PartySecrets).active('merchant', res.body.id, new Date());
      expect(secrets).toEqual([res.body.webhookSecret]);
    });

    it('lists every bad field in one 400 validation_failed', async () => {
      const res = await request(t.server)
        .post('/v1/merchants')
        .set(ops)
        .send({
          country: 'fr',
          timezone: 'Mars/Olympus',
          language: 'not a tag',
          webhookUrl: 'ftp://x',
          extra: 1,
        })
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
      const fields = new Set(res.body.details.map((d: { field: string }) => d.field));
      expect(fields).toEqual(
        new Set(['name', 'country', 'timezone', 'language', 'webhookUrl', 'extra']),
      );
    });

    it.each(['QA', 'UK', 'EU'])(
      'refuses %s: a country whose public holidays Redress does not know, or no country',
      async (country) => {
        for (const route of ['/v1/merchants', '/v1/suppliers']) {
          const res = await request(t.server)
            .post(route)
            .set(ops)
            .send({ name: 'Doha trading', country })
            .expect(400);
          expect(res.body.details).toEqual([
            expect.objectContaining({
              field: 'country',
              problem: expect.stringMatching(/countries/),
            }),
          ]);
        }
      },
    );

    it('refuses an unknown country code such as XX', async () => {
      const res = await request(t.server)
        .post('/v1/merchants')
        .set(ops)
        .send({ name: 'A', country: 'XX' })
        .expect(400);
      expect(res.body.details[0].field).toBe('country');
    });

    it('refuses a private webhookUrl (SSRF) by default', async () => {
      for (const url of [
        'https://127.0.0.1/hook',
        'https://10.0.0.7/hook',
        'http://93.184.216.34/',
      ]) {
        const res = await request(t.server)
          .post('/v1/merchants')
          .set(ops)
          .send({ name: 'A', country: 'FR', webhookUrl: url })
          .expect(400);
        expect(res.body.details).toEqual([
          // The field is named once, in `field`: the problem is a phrase about it.
          { field: 'webhookUrl', problem: expect.stringMatching(/^(must use https$|points to )/) },
        ]);
      }
      await request(t.server)
        .post('/v1/suppliers')
        .set(ops)
        .send({ name: 'S', country: 'CN', webhookUrl: 'https://169.254.169.254/latest' })
        .expect(400);
      const { rows } = await t.db.pool.query(`SELECT count(*)::int AS n FROM suppliers`);
      expect(rows[0].n).toBe(0);
    });

    it('answers 404 for an unknown id and for a non-UUID id', async () => {
      for (const id of [UNKNOWN_ID, 'not-a-uuid', '1', `${UNKNOWN_ID}x`]) {
        const res = await request(t.server).get(`/v1/merchants/${id}`).set(ops).expect(404);
        expect(res.body).toMatchObject({ statusCode: 404, error: 'not_found' });
        await request(t.server).post(`/v1/merchants/${id}/api-keys`).set(ops).expect(404);
      }
    });

    it('a merchant key reads its own merchant; another merchant answers 404', async () => {
      const a = await createMerchantWithKey(t.server, OPS_KEY);
      const b = await createMerchantWithKey(t.server, OPS_KEY);
      await request(t.server).get(`/v1/merchants/${a.merchantId}`).set(bearer(a.key)).expect(200);
      const res = await request(t.server)
        .get(`/v1/merchants/${b.merchantId}`)
        .set(bearer(a.key))
        .expect(404);
      expect(res.body.error).toBe('not_found');
      await request(t.server)
        .post(`/v1/merchants/${a.merchantId}/api-keys`)
        .set(bearer(a.key))
        .expect(403);
    });
  });

  describe('suppliers', () => {
    let supplierId: string;
    let firstSecret: string;

    it('creates a supplier with a whsec_ secret, stored in supplier_secrets', async () => {
      const res = await request(t.server)
        .post('/v1/suppliers')
        .set(ops)
        .send({ name: 'Widgets Ltd', country: 'CN', timezone: 'Asia/Shanghai' })
        .expect(201);
      expect(res.body).toMatchObject({ name: 'Widgets Ltd', country: 'CN', webhookUrl: null });
      expect(res.body.webhookSecret).toMatch(SECRET);
      expect(secretBytes(res.body.webhookSecret)).toBeGreaterThanOrEqual(24);
      supplierId = res.body.id;
      firstSecret = res.body.webhookSecret;

      const read = await request(t.server).get(`/v1/suppliers/${supplierId}`).set(ops).expect(200);
      expect(read.body).not.toHaveProperty('webhookSecret');
      expect(read.body.timezone).toBe('Asia/Shanghai');
      const secrets = await t.app.get(SupplierService).activeSecrets(supplierId, new Date());
      expect(secrets).toEqual([firstSecret]);
    });

    it('lists every bad supplier field', async () => {
      const res = await request(t.server)
        .post('/v1/suppliers')
        .set(ops)
        .send({ name: '', country: 'China', timezone: 'Nowhere/Land' })
        .expect(400);
      const fields = new Set(res.body.details.map((d: { field: string }) => d.field));
      expect(fields).toEqual(new Set(['name', 'country', 'timezone']));
    });

    it('records closures (inclusive dates) and lists them', async () => {
      const res = await request(t.server)
        .post(`/v1/suppliers/${supplierId}/closures`)
        .set(ops)
        .send({ from: '2026-02-16', to: '2026-02-22', reason: 'Chinese New Year' })
        .expect(201);
      expect(res.body).toMatchObject({
        supplierId,
        from: '2026-02-16',
        to: '2026-02-22',
        reason: 'Chinese New Year',
      });
      await request(t.server)
        .post(`/v1/suppliers/${supplierId}/closures`)
        .set(ops)
        .send({ from: '2026-01-01', to: '2026-01-01', reason: 'New Year' })
        .expect(201);
      const list = await request(t.server)
        .get(`/v1/suppliers/${supplierId}/closures`)
        .set(ops)
        .expect(200);
      expect(list.body.items.map((c: { from: string }) => c.from)).toEqual([
        '2026-01-01',
        '2026-02-16',
      ]);
      expect(await t.app.get(SupplierService).closures(supplierId)).toEqual([
        { from: '2026-01-01', to: '2026-01-01' },
        { from: '2026-02-16', to: '2026-02-22' },
      ]);
    });

    it('refuses a closure that ends before it starts, or with bad dates', async () => {
      const backwards = await request(t.server)
        .post(`/v1/suppliers/${supplierId}/closures`)
        .set(ops)
        .send({ from: '2026-03-10', to: '2026-03-09', reason: 'x' })
        .expect(400);
      expect(backwards.body.details).toEqual([
        { field: 'to', problem: 'must be on or after from, and at most 365 days after it' },
      ]);
      const bad = await request(t.server)
        .post(`/v1/suppliers/${supplierId}/closures`)
        .set(ops)
        .send({ from: '2026-02-30', to: '03/01/2026' })
        .expect(400);
      const fields = new Set(bad.body.details.map((d: { field: string }) => d.field));
      expect(fields).toEqual(new Set(['from', 'to', 'reason']));
      await request(t.server)
        .post(`/v1/suppliers/${UNKNOWN_ID}/closures`)
        .set(ops)
        .send({ from: '2026-03-01', to: '2026-03-02', reason: 'x' })
        .expect(404);
    });

    it('rotates the secret: the new one and the previous one are both active for 24 h', async () => {
      const before = Date.now();
      const res = await request(t.server)
        .post(`/v1/suppliers/${supplierId}/rotate-secret`)
        .set(ops)
        .expect(201);
      expect(res.body.webhookSecret).toMatch(SECRET);
      expect(res.body.webhookSecret).not.toBe(firstSecret);
      const expiresAt = new Date(res.body.previousSecretExpiresAt).getTime();
      expect(expiresAt - before).toBeGreaterThanOrEqual(24 * 3600 * 1000 - 1000);
      expect(expiresAt - before).toBeLessThanOrEqual(24 * 3600 * 1000 + 5000);

      const suppliers = t.app.get(SupplierService);
      expect(await suppliers.activeSecrets(supplierId, new Date())).toEqual([
        res.body.webhookSecret,
        firstSecret,
      ]);
      expect(await suppliers.activeSecrets(supplierId, new Date(expiresAt + 1))).toEqual([
        res.body.webhookSecret,
      ]);
      await request(t.server)
        .post(`/v1/suppliers/${UNKNOWN_ID}/rotate-secret`)
        .set(ops)
        .expect(404);
    });

    it('answers 404 for unknown and non-UUID supplier ids', async () => {
      for (const id of [UNKNOWN_ID, 'abc']) {
        await request(t.server).get(`/v1/suppliers/${id}`).set(ops).expect(404);
        await request(t.server).get(`/v1/suppliers/${id}/closures`).set(ops).expect(404);
      }
    });

    it('is for ops keys only', async () => {
      const { key } = await createMerchantWithKey(t.server, OPS_KEY);
      await request(t.server).get(`/v1/suppliers/${supplierId}`).set(bearer(key)).expect(403);
    });
  });
});

describe('private webhook URLs when allowed (development)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, allowPrivateWebhooks: true });
  });
  afterAll(() => t.close());

  it('accepts a loopback http webhookUrl', async () => {
    const res = await request(t.server)
      .post('/v1/suppliers')
      .set(ops)
      .send({ name: 'Local', country: 'FR', webhookUrl: 'http://127.0.0.1:9999/hook' })
      .expect(201);
    expect(res.body.webhookUrl).toBe('http://127.0.0.1:9999/hook');
    await request(t.server)
      .post('/v1/merchants')
      .set(ops)
      .send({ name: 'Local', country: 'FR', webhookUrl: 'http://10.1.2.3/hook' })
      .expect(201);
  });
});
