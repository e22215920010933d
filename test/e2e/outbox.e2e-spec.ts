import { createServer, IncomingHttpHeaders, Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { Clock } from '../../src/common/clock/clock.service';
import { loadConfig } from '../../src/config/app-config';
import { NotificationDispatcher } from '../../src/notifications/dispatcher/notification-dispatcher.service';
import { MAX_ATTEMPTS } from '../../src/notifications/delivery/retry-schedule';
import { verifyWebhook } from '../../src/webhooks/signature/webhook-signature';
import { createTestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';
import {
  createMerchant,
  createMerchantWithSecret,
  createSupplier,
  openCase,
  ops,
  OPS_KEY,
  order,
  rotateSecret,
  sendWebhook,
} from './webhook-helpers';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1: each path answers what its script says, in turn. */
class Receiver {
  readonly received: Received[] = [];
  private readonly scripts = new Map<
    string,
    { status: number; headers?: Record<string, string> }[]
  >();
  private server: HttpServer | null = null;
  base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString() });
        const script = this.scripts.get(path) ?? [];
        const answer = script.length > 1 ? script.shift()! : (script[0] ?? { status: 200 });
        res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Answers for `path`, one per request; the last one repeats. */
  script(path: string, ...answers: { status: number; headers?: Record<string, string> }[]): string {
    this.scripts.set(path, answers);
    return `${this.base}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

interface NotificationView {
  id: string;
  party: string;
  partyId: string;
  type: string;
  state: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  body: Record<string, unknown>;
  attemptLog: { at: string; status: number | null; error: string | null; durationMs: number }[];
}

async function notificationsOf(t: { server: TestApp['server'] }, caseId: string) {
  const res = await request(t.server).get(`/v1/cases/${caseId}/notifications`).set(ops).expect(200);
  return res.body.items as NotificationView[];
}

/** The Standard Webhooks headers of a received request, as `Webhook.verify` takes them. */
function receivedSignature(got: Received) {
  return {
    'webhook-id': String(got.headers['webhook-id']),
    'webhook-timestamp': String(got.headers['webhook-timestamp']),
    'webhook-signature': String(got.headers['webhook-signature']),
  };
}

const SECOND = 1000;

describe('outbound notifications (outbox dispatcher)', () => {
  let t: TestApp;
  let receiver: Receiver;
  let dispatcher: NotificationDispatcher;
  let clock: Clock;
  let merchantId: string;

  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
    t = await startTestApp({
      bootstrapOpsKey: OPS_KEY,
      allowPrivateWebhooks: true,
      testClock: true,
      dispatcherEnabled: false,
    });
    dispatcher = t.app.get(NotificationDispatcher);
    clock = t.app.get(Clock);
    merchantId = await createMerchant(t.server);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  const lateShipment = (supplierId: string, merchant = merchantId) =>
    openCase(t.server, merchant, supplierId, 'late_shipment', order('unshipped', clock.now()));
  /**
   * A case whose opening sends the supplier exactly one notification, `supplier.case_opened`: it
   * waits on the merchant, so no supplier clock starts and no deadline warning goes with it.
   */
  const outOfStock = (supplierId: string) =>
    openCase(t.server, merchantId, supplierId, 'out_of_stock', order('unshipped', clock.now()));

  it('delivers a pending notification, signed with the supplier secret, webhook-id = its id', async () => {
    const url = receiver.script('/ok');
    const supplier = await createSupplier(t.server, { webhookUrl: url });
    const opened = await outOfStock(supplier.id);
    const [pending] = await notificationsOf(t, opened.id);
    expect(pending).toMatchObject({ type: 'supplier.case_opened', state: 'pending', attempts: 0 });

    expect(await dispatcher.dispatchDue()).toBeGreaterThanOrEqual(1);

    const [got] = receiver.at('/ok');
    expect(got.headers['webhook-id']).toBe(pending.id);
    expect(got.headers['content-type']).toBe('application/json');
    // The reference implementation of Standard Webhooks accepts it (the test clock is still real time).
    const verified = new Webhook(supplier.webhookSecret).verify(got.body, receivedSignature(got));
    expect(verified).toMatchObject({ type: 'supplier.case_opened', caseId: opened.id });
    expect(JSON.parse(got.body)).toEqual(pending.body);

    const [delivered] = await notificationsOf(t, opened.id);
    expect(delivered).toMatchObject({ state: 'delivered', attempts: 1, lastError: null });
    expect(delivered.deliveredAt).toEqual(expect.any(String));
    expect(delivered.attemptLog).toEqual([
      expect.objectContaining({ status: 200, error: null, durationMs: expect.any(Number) }),
    ]);
    // Nothing is sent twice.
    await dispatcher.dispatchDue();
    expect(receiver.at('/ok')).toHaveLength(1);
  });

  it('signs with the old and the new secret for the 24 h after a rotation, so a receiver not yet switched still verifies', async () => {
    const url = receiver.script('/rotated');
    const supplier = await createSupplier(t.server, { webhookUrl: url });
    const newSecret = await rotateSecret(t.server, supplier);
    const opened = await lateShipment(supplier.id);
    expect(await dispatcher.dispatchDue()).toBeGreaterThanOrEqual(1);

    const [got] = receiver.at('/rotated');
    const headers = receivedSignature(got);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [newSecret, supplier.webhookSecret]) {
      expect(new Webhook(secret).verify(got.body, headers)).toMatchObject({ caseId: opened.id });
    }
    expect(() =>
      new Webhook(`whsec_${Buffer.from('x'.repeat(32)).toString('base64')}`).verify(
        got.body,
        headers,
      ),
    ).toThrow();
  });

  it('signs merchant notifications with the old and the new merchant secret for the 24 h after a rotation, then with the new one only', async () => {
    const merchant = await createMerchantWithSecret(t.server, {
      webhookUrl: receiver.script('/merchant-rotated'),
    });
    const rotated = await request(t.server)
      .post(`/v1/merchants/${merchant.id}/rotate-secret`)
      .set(ops)
      .expect(201);
    const newSecret = rotated.body.webhookSecret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(merchant.webhookSecret);
    const expiresAt = Date.parse(rotated.body.previousSecretExpiresAt as string);
    expect(expiresAt - clock.now().getTime()).toBeGreaterThan(24 * 3600 * SECOND - 60 * SECOND);
    expect(expiresAt - clock.now().getTime()).toBeLessThanOrEqual(24 * 3600 * SECOND);

    const quiet = await createSupplier(t.server);
    const closeCase = async () => {
      const opened = await lateShipment(quiet.id, merchant.id);
      await sendWebhook(t.server, quiet.id, quiet.webhookSecret, {
        type: 'shipment.created',
        caseId: opened.id,
        data: { trackingNumber: 'TRK-1' },
      }).expect(200);
      await dispatcher.dispatchDue();
    };
    await closeCase();
    const [during] = receiver.at('/merchant-rotated');
    const headers = receivedSignature(during);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    const verifies = (got: Received, secret: string) =>
      verifyWebhook({
        secrets: [secret],
        headers: got.headers,
        rawBody: got.body,
        now: clock.now(),
      }).ok;
    expect(verifies(during, newSecret)).toBe(true);
    expect(verifies(during, merchant.webhookSecret)).toBe(true);

    // Once the old secret has expired: one signature, by the new secret.
    await t.db.pool.query(
      `UPDATE merchant_secrets SET expires_at = $2
       WHERE id = (SELECT min(id) FROM merchant_secrets WHERE merchant_id = $1)`,
      [merchant.id, new Date(clock.now().getTime() - SECOND)],
    );
    await closeCase();
    const after = receiver.at('/merchant-rotated').slice(-1)[0];
    const afterHeaders = receivedSignature(after);
    expect(afterHeaders['webhook-signature'].split(' ')).toHaveLength(1);
    expect(verifies(after, newSecret)).toBe(true);
    expect(verifies(after, merchant.webhookSecret)).toBe(false);
  });

  it('signs merchant notifications with the merchant secret, lists notifications of a party without webhookUrl as no_endpoint', async () => {
    const merchant = await createMerchantWithSecret(t.server, {
      webhookUrl: receiver.script('/merchant'),
    });
    const quiet = await createSupplier(t.server);
    const opened = await lateShipment(quiet.id, merchant.id);
    await sendWebhook(t.server, quiet.id, quiet.webhookSecret, {
      type: 'shipment.created',
      caseId: opened.id,
      data: { trackingNumber: 'TRK-1' },
    }).expect(200);
    await dispatcher.dispatchDue();

    const items = await notificationsOf(t, opened.id);
    const byType = Object.fromEntries(items.map((n) => [n.type, n]));
    expect(byType['supplier.case_opened']).toMatchObject({
      party: 'supplier',
      partyId: quiet.id,
      state: 'no_endpoint',
      attempts: 0,
      attemptLog: [],
    });
    expect(byType['supplier.case_closed']).toMatchObject({ state: 'no_endpoint' });
    expect(byType['merchant.case_closed']).toMatchObject({
      party: 'merchant',
      partyId: merchant.id,
      state: 'delivered',
      attempts: 1,
    });
    const [got] = receiver.at('/merchant');
    expect(
      verifyWebhook({
        secrets: [merchant.webhookSecret],
        headers: got.headers,
        rawBody: got.body,
        now: clock.now(),
      }),
    ).toMatchObject({ ok: true, id: byType['merchant.case_closed'].id });
  });

  it('adds the case’s live supplier link to what a supplier is sent, never to the stored body', async () => {
    const url = receiver.script('/linked');
    const supplier = await createSupplier(t.server, { webhookUrl: url });
    const opened = await outOfStock(supplier.id);
    const link = await request(t.server)
      .post(`/v1/cases/${opened.id}/supplier-link`)
      .set(ops)
      .expect(201);

    await dispatcher.dispatchDue();

    const [got] = receiver.at('/linked');
    const sent = JSON.parse(got.body) as Record<string, unknown>;
    expect(sent).toMatchObject({ type: 'supplier.case_opened', supplierLink: link.body.url });
    // The signature covers what was sent.
    expect(new Webhook(supplier.webhookSecret).verify(got.body, receivedSignature(got))).toEqual(
      sent,
    );
    // The token is kept only hashed and sealed: the outbox row does not hold it.
    const stored = await t.db.pool.query<{ body: string }>(
      `SELECT body::text FROM notifications WHERE case_id = $1`,
      [opened.id],
    );
    for (const row of stored.rows) expect(row.body).not.toContain(link.body.token as string);
  });

  it('retries a 500 on the test clock (about 5 s, then 5 min) and delivers on the third try', async () => {
    const url = receiver.script('/flaky', { status: 500 }, { status: 500 }, { status: 200 });
    const supplier = await createSupplier(t.server, { webhookUrl: url });
    const opened = await outOfStock(supplier.id);
    const start = clock.now();

    await dispatcher.dispatchDue();
    let [n] = await notificationsOf(t, opened.id);
    expect(n).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP 500' });
    const firstRetry = new Date(n.nextAttemptAt!).getTime() - start.getTime();
    expect(firstRetry).toBeGreaterThanOrEqual(4 * SECOND);
    expect(firstRetry).toBeLessThanOrEqual(7 * SECOND);

    // Not due yet: nothing is sent.
    await dispatcher.dispatchDue();
    expect(receiver.at('/flaky')).toHaveLength(1);

    clock.set(new Date(start.getTime() + 6 * SECOND));
    await dispatcher.dispatchDue();
    [n] = await notificationsOf(t, opened.id);
    expect(n).toMatchObject({ state: 'pending', attempts: 2, lastError: 'HTTP 500' });
    const secondRetry = new Date(n.nextAttemptAt!).getTime() - clock.now().getTime();
    expect(secondRetry).toBeGreaterThan(250 * SECOND);
    expect(secondRetry).toBeLessThan(340 * SECOND);

    clock.set(new Date(n.nextAttemptAt!));
    await dispatcher.dispatchDue();
    [n] = await notificationsOf(t, opened.id);
    expect(n).toMatchObject({ state: 'delivered', attempts: 3, lastError: null });
    expect(n.attemptLog.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(n.attemptLog.map((a) => a.error)).toEqual(['HTTP 500', 'HTTP 500', null]);
    const ids = receiver.at('/flaky').map((r) => r.headers['webhook-id']);
    expect(ids).toEqual([n.id, n.id, n.id]);
  });

  it('honours Retry-After on a 503, and records an attempt refused by the URL policy', async () => {
    const url = receiver.script('/busy', { status: 503, headers: { 'retry-after': '3600' } });
    const busy = await createSupplier(t.server, { webhookUrl: url });
    const broken = await createSupplier(t.server, { webhookUrl: receiver.script('/x') });
    await t.db.pool.query(`UPDATE suppliers SET webhook_url = 'ftp://127.0.0.1/x' WHERE id = $1`, [
      broken.id,
    ]);
    const a = await lateShipment(busy.id);
    const b = await lateShipment(broken.id);
    const now = clock.now();
    await dispatcher.dispatchDue(now);

    const [na] = await notificationsOf(t, a.id);
    expect(na).toMatchObject({ state: 'pending', attempts: 1, lastError: 'HTTP 503' });
    expect(new Date(na.nextAttemptAt!).getTime() - now.getTime()).toBeGreaterThanOrEqual(
      3600 * SECOND,
    );
    const [nb] = await notificationsOf(t, b.id);
    expect(nb).toMatchObject({ state: 'pending', attempts: 1 });
    expect(nb.lastError).toMatch(/must use https or http/);
    expect(nb.attemptLog).toEqual([expect.objectContaining({ status: null, durationMs: 0 })]);
    expect(receiver.at('/x')).toHaveLength(0);
  });

  // Last in this app: it moves time days ahead.
  it(`marks a notification failed after ${MAX_ATTEMPTS} tries that all got 500`, async () => {
    const url = receiver.script('/down', { status: 500 });
    const supplier = await createSupplier(t.server, { webhookUrl: url });
    const opened = await outOfStock(supplier.id);
    let now = clock.now();
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await dispatcher.dispatchDue(now);
      now = new Date(now.getTime() + 25 * 60 * 60 * SECOND);
    }
    const [n] = await notificationsOf(t, opened.id);
    expect(n).toMatchObject({
      state: 'failed',
      attempts: MAX_ATTEMPTS,
      lastError: 'HTTP 500',
      nextAttemptAt: null,
      deliveredAt: null,
    });
    expect(n.attemptLog).toHaveLength(MAX_ATTEMPTS);
    expect(receiver.at('/down')).toHaveLength(MAX_ATTEMPTS);
  });
});

describe('outbox across a restart', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = new Receiver();
    await receiver.start();
  });
  afterAll(() => receiver.stop());

  it('delivers after a restart what was committed but never sent, and what a crashed instance had claimed', async () => {
    const db = await createTestDatabase();
    const config = {
      ...loadConfig({}),
      logLevel: 'silent',
      schedulerEnabled: false,
      rateLimitPerSecond: 100_000,
      bootstrapOpsKey: OPS_KEY,
      allowPrivateWebhooks: true,
      testClock: true,
      databaseUrl: db.url,
    };
    const first = await createApp({ ...config, dispatcherEnabled: false });
    let second: Awaited<ReturnType<typeof createApp>> | null = null;
    try {
      await first.init();
      await first.getHttpAdapter().getInstance().ready();
      const server = first.getHttpServer();
      const m = await createMerchant(server);
      const s = await createSupplier(server, { webhookUrl: receiver.script('/restart') });
      const now = first.get(Clock).now();
      const never = await openCase(server, m, s.id, 'out_of_stock', order('unshipped', now));
      const claimed = await openCase(server, m, s.id, 'out_of_stock', order('unshipped', now));
      // The second was claimed by an instance that died before sending: its lease runs 60 s.
      await db.pool.query(
        `UPDATE notifications SET next_attempt_at = $2 WHERE case_id = $1 AND state = 'pending'`,
        [claimed.id, new Date(now.getTime() + 60 * SECOND)],
      );
      await first.close();
      expect(receiver.at('/restart')).toHaveLength(0);

      second = await createApp({ ...config, dispatcherEnabled: true });
      await second.init();
      const state = async (caseId: string) => {
        const { rows } = await db.pool.query<{ state: string }>(
          `SELECT state FROM notifications WHERE case_id = $1 AND type = 'supplier.case_opened'`,
          [caseId],
        );
        return rows[0].state;
      };
      const waitFor = async (caseId: string) => {
        for (let i = 0; i < 100 && (await state(caseId)) !== 'delivered'; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return state(caseId);
      };
      // The dispatcher's own loop picks it up, nobody calls it.
      expect(await waitFor(never.id)).toBe('delivered');
      expect(await state(claimed.id)).toBe('pending');
      // Once the lease has run out, it is claimed again and sent.
      const clock = second.get(Clock);
      clock.set(new Date(clock.now().getTime() + 61 * SECOND));
      expect(await waitFor(claimed.id)).toBe('delivered');
      expect(receiver.at('/restart')).toHaveLength(2);
    } finally {
      await second?.close();
      await db.drop();
    }
  });
});
