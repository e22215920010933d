import { createHash } from 'node:crypto';
import request from 'supertest';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * collaboration.md "Parties and access": supplier API keys (their own cases only, the supplier's
 * events, a timeline without NOTE entries) and supplier links (`/v1/portal/<token>`), on the real
 * app and PostgreSQL.
 */
describe('supplier access without an integration', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let factory: { id: string };
  let otherFactory: { id: string };
  let supplierKey: string;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    api = new Api(t.server);
    shop = await api.merchant('Access shop');
    factory = await api.supplier('Access factory', { language: 'zh' });
    otherFactory = await api.supplier('Other factory');
    supplierKey = (await api.post(`/v1/suppliers/${factory.id}/api-keys`, OPS_KEY, {})).body.key;
  });
  afterAll(async () => {
    await t.close();
  });

  /** A damaged_item case waiting on the supplier's verification. */
  async function awaitingVerification(supplierId = factory.id) {
    const opened = await api.open(shop.key, supplierId, 'damaged_item', order({ shipped: true }));
    expect((await api.evidence(shop.key, opened.id, 'photo')).status).toBe(201);
    const submitted = await api.event(shop.key, opened.id, 'SUBMIT_EVIDENCE');
    expect(submitted.body.state).toBe('awaiting_verification');
    return opened.id as string;
  }

  describe('supplier API keys', () => {
    it('are created by ops, shown once, stored hashed, listed and revoked like the others', async () => {
      const created = await api.post(`/v1/suppliers/${factory.id}/api-keys`, OPS_KEY, {});
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ role: 'supplier', supplierId: factory.id });
      expect(created.body.key).toMatch(/^rk_live_[A-Za-z0-9_-]{43}$/);
      const { rows } = await t.db.pool.query(
        `SELECT key_hash, role, supplier_id, merchant_id FROM api_keys WHERE id = $1`,
        [created.body.id],
      );
      expect(rows[0]).toMatchObject({
        role: 'supplier',
        supplier_id: factory.id,
        merchant_id: null,
      });
      expect(rows[0].key_hash).toEqual(createHash('sha256').update(created.body.key).digest());

      const listed = await api.get(`/v1/suppliers/${factory.id}/api-keys`, OPS_KEY).expect(200);
      const mine = listed.body.items.find((k: { id: string }) => k.id === created.body.id);
      expect(mine).toMatchObject({ role: 'supplier', revokedAt: null });
      expect(JSON.stringify(listed.body)).not.toContain(created.body.key);

      expect((await api.get('/v1/cases', created.body.key)).status).toBe(200);
      await api.get(`/v1/suppliers/${factory.id}/api-keys`, shop.key).expect(403);
      await api.post(`/v1/suppliers/${factory.id}/api-keys`, created.body.key, {}).expect(403);
      await request(t.server)
        .delete(`/v1/api-keys/${created.body.id}`)
        .set('authorization', `Bearer ${OPS_KEY}`)
        .expect(204);
      expect((await api.get('/v1/cases', created.body.key)).status).toBe(401);
    });

    it('an unknown supplier answers 404', async () => {
      await api
        .post('/v1/suppliers/00000000-0000-4000-8000-000000000000/api-keys', OPS_KEY, {})
        .expect(404);
    });

    it('see only their own cases: list, read, timeline; another case is 404', async () => {
      const mine = await api.open(shop.key, factory.id, 'late_shipment');
      const theirs = await api.open(shop.key, otherFactory.id, 'late_shipment');
      const list = await api.get('/v1/cases?limit=200', supplierKey).expect(200);
      const ids = list.body.items.map((c: { id: string }) => c.id);
      expect(ids).toContain(mine.id);
      expect(ids).not.toContain(theirs.id);
      expect(
        list.body.items.every((c: { supplierId: string }) => c.supplierId === factory.id),
      ).toBe(true);
      const filtered = await api
        .get(`/v1/cases?supplierId=${otherFactory.id}`, supplierKey)
        .expect(200);
      expect(filtered.body.items).toEqual([]);
      const typed = await api.get('/v1/cases?type=late_shipment&status=open', supplierKey);
      expect(typed.body.items.map((c: { id: string }) => c.id)).toContain(mine.id);

      const read = await api.get(`/v1/cases/${mine.id}`, supplierKey).expect(200);
      expect(read.body.allowedEvents).toContain('SHIPPED');
      expect(read.body.allowedEvents).not.toContain('WITHDRAW');
      await api.get(`/v1/cases/${theirs.id}`, supplierKey).expect(404);
      await api.get(`/v1/cases/${theirs.id}/timeline`, supplierKey).expect(404);
      expect(
        (await api.event(supplierKey, theirs.id, 'SHIPPED', { trackingNumber: 'X' })).status,
      ).toBe(404);
    });

    it("send the supplier's events through the one door: 400, then 404, then 403", async () => {
      const id = await awaitingVerification();
      const other = await awaitingVerification(otherFactory.id);
      // 400 first: an unknown event, before the case is looked up
      expect((await api.event(supplierKey, other, 'NOPE')).status).toBe(400);
      // 404: another supplier's case, whatever the event
      expect((await api.event(supplierKey, other, 'WITHDRAW')).status).toBe(404);
      // 403: a merchant's event on its own case
      const withdraw = await api.event(supplierKey, id, 'WITHDRAW');
      expect(withdraw.status).toBe(403);
      expect(withdraw.body.error).toBe('forbidden');
      const bad = await api.event(supplierKey, id, 'VERIFICATION_REJECTED', {});
      expect(bad.status).toBe(400);
      const confirmed = await api.event(supplierKey, id, 'VERIFICATION_CONFIRMED');
      expect(confirmed.status).toBe(200);
      expect(confirmed.body.state).toBe('resolution_pending');
      const timeline = await api.timeline(OPS_KEY, id).expect(200);
      const last = timeline.body.events[timeline.body.events.length - 1];
      expect(last).toMatchObject({
        type: 'VERIFICATION_CONFIRMED',
        actor: { kind: 'supplier', id: factory.id },
      });
    });

    it('post and read the case’s messages on their own cases only', async () => {
      const mine = await api.open(shop.key, factory.id, 'late_shipment');
      const theirs = await api.open(shop.key, otherFactory.id, 'late_shipment');
      const sent = await api
        .post(`/v1/cases/${mine.id}/messages`, supplierKey, { text: 'Shipping tomorrow' })
        .expect(201);
      expect(sent.body).toMatchObject({
        text: 'Shipping tomorrow',
        from: { kind: 'supplier', id: factory.id },
      });
      const thread = await api.get(`/v1/cases/${mine.id}/messages`, supplierKey).expect(200);
      expect(thread.body.items.map((m: { text: string }) => m.text)).toEqual(['Shipping tomorrow']);
      await api.post(`/v1/cases/${theirs.id}/messages`, supplierKey, { text: 'x' }).expect(404);
      await api.get(`/v1/cases/${theirs.id}/messages`, supplierKey).expect(404);
      const seen = await api.timeline(supplierKey, mine.id).expect(200);
      expect(seen.body.events.map((e: { type: string }) => e.type)).toContain('MESSAGE');
    });

    it('may not use any other route (403), nor open cases or add evidence', async () => {
      const id = await awaitingVerification();
      const denied: [string, string, unknown?][] = [
        ['POST', '/v1/cases', { type: 'late_shipment', supplierId: factory.id }],
        ['POST', `/v1/cases/${id}/evidence`, { kind: 'photo', url: 'https://x.example/a.jpg' }],
        ['POST', `/v1/cases/${id}/feedback`, { resolved: true }],
        ['GET', `/v1/cases/${id}/notifications`],
        ['POST', `/v1/cases/${id}/supplier-link`, {}],
        ['GET', '/v1/merchants'],
        ['GET', `/v1/merchants/${shop.id}`],
        ['GET', `/v1/merchants/${shop.id}/api-keys`],
        ['GET', '/v1/suppliers'],
        ['GET', `/v1/suppliers/${factory.id}`],
        ['GET', `/v1/suppliers/${factory.id}/scorecard`],
        ['GET', `/v1/merchants/${shop.id}/service-rating`],
        ['GET', '/v1/audit/events'],
        ['GET', '/v1/audit/checkpoints'],
        ['GET', '/v1/test-clock'],
      ];
      for (const [method, path, body] of denied) {
        const res =
          method === 'GET'
            ? await api.get(path, supplierKey)
            : await api.post(path, supplierKey, body);
        expect({ path, status: res.status }).toEqual({ path, status: 403 });
      }
      // The API's any-key routes stay open to them.
      await api.get('/v1/workflows', supplierKey).expect(200);
      await api.get('/v1/calendar/countries', supplierKey).expect(200);
    });

    it('read a timeline without NOTE entries, filtered, its integrity of the whole chain, paged', async () => {
      const id = await awaitingVerification();
      for (let i = 0; i < 3; i++) {
        expect((await api.event(shop.key, id, 'NOTE', { text: `internal ${i}` })).status).toBe(200);
      }
      const full = await api.timeline(OPS_KEY, id).expect(200);
      expect(full.body.filtered).toBeUndefined();
      const notes = full.body.events.filter((e: { type: string }) => e.type === 'NOTE');
      expect(notes).toHaveLength(3);

      const seen = await api.timeline(supplierKey, id).expect(200);
      expect(seen.body.filtered).toBe(true);
      expect(seen.body.events.map((e: { type: string }) => e.type)).not.toContain('NOTE');
      expect(JSON.stringify(seen.body)).not.toContain('internal 1');
      expect(seen.body.integrity).toEqual(full.body.integrity);
      expect(seen.body.events).toHaveLength(full.body.events.length - 3);

      // Page by page (2 entries a page) the supplier gets every non-NOTE entry once, in order.
      const paged: number[] = [];
      let after = 0;
      for (let pages = 0; pages < 20; pages++) {
        const page = await api
          .get(`/v1/cases/${id}/timeline?limit=2&after=${after}`, supplierKey)
          .expect(200);
        expect(page.body.filtered).toBe(true);
        expect(page.body.integrity.valid).toBe(true);
        paged.push(...page.body.events.map((e: { seq: number }) => e.seq));
        if (page.body.nextAfter === null) break;
        after = page.body.nextAfter;
      }
      expect(paged).toEqual(seen.body.events.map((e: { seq: number }) => e.seq));
      await api.get(`/v1/cases/${id}/timeline?verify=full`, supplierKey).expect(403);
    });
  });
});
