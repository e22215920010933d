/**
 * hardening.md "Network edges": whose X-Forwarded-For is believed, webhook limits per path id,
 * slow clients and the connection cap. Raw sockets on 127.0.0.1 against the real app, listening.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { connect, Socket } from 'node:net';
import request from 'supertest';
import type { AppConfig } from '../../src/config/app-config';
import { startTestApp, TestApp } from '../support/test-app';

/** The real app listening on 127.0.0.1, so that raw sockets can reach it. */
async function listening(overrides: Partial<AppConfig>): Promise<TestApp & { port: number }> {
  const t = await startTestApp(overrides);
  await t.app.listen(0, '127.0.0.1');
  return { ...t, port: (t.server.address() as AddressInfo).port };
}

/** A raw client socket that records what it received and when it was closed. */
interface Probe {
  socket: Socket;
  received(): string;
  closedAt(): number | null;
  closed: Promise<number>;
}

function probe(port: number): Promise<Probe> {
  return new Promise((resolve, reject) => {
    let data = '';
    let closedAt: number | null = null;
    const socket = connect(port, '127.0.0.1');
    socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
    socket.on('error', () => undefined); // a reset is one of the outcomes under test
    const closed = new Promise<number>((done) =>
      socket.once('close', () => done((closedAt = Date.now()))),
    );
    socket.once('connect', () =>
      resolve({ socket, received: () => data, closedAt: () => closedAt, closed }),
    );
    socket.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with how long `p` took, or rejects when it takes longer than `ms`. */
async function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** `count` GETs of a per-address limited route (the public ops page), each from a new address. */
async function rotatingForwardedFor(t: TestApp, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const res = await request(t.server)
      .get('/ops')
      .set('x-forwarded-for', `203.0.113.${i + 1}`);
    statuses.push(res.status);
  }
  return statuses;
}

/** `count` unsigned POSTs to one supplier's webhook route. */
async function webhookStatuses(t: TestApp, supplierId: string, count: number, rotate = false) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const call = request(t.server).post(`/v1/webhooks/suppliers/${supplierId}`);
    if (rotate) void call.set('x-forwarded-for', `198.51.100.${i + 1}`);
    statuses.push((await call.send({ type: 'x', caseId: 'y', data: {} })).status);
  }
  return statuses;
}

describe('client addresses and rate limits', () => {
  describe('without REDRESS_TRUST_PROXY', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitPerSecond: 5 });
    });
    afterAll(() => t.close());

    it('ignores X-Forwarded-For: a rotating one does not escape the per-address limit', async () => {
      const statuses = await rotatingForwardedFor(t, 12);
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    });

    it('limits the supplier webhook route per supplier id, not per caller', async () => {
      await sleep(1100); // a fresh window for this address
      const first = randomUUID();
      const statuses = await webhookStatuses(t, first, 8);
      expect(statuses.slice(0, 5)).not.toContain(429);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
      // Same caller, another supplier: a bucket of its own.
      expect(await webhookStatuses(t, randomUUID(), 3)).not.toContain(429);
      // The public page from the same address was not charged for the webhook calls.
      await request(t.server).get('/ops').expect(200);
      const limited = await request(t.server).post(`/v1/webhooks/suppliers/${first}`).send({});
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ error: 'rate_limited' });
      expect(limited.body.message).toMatch(/for this endpoint/);
    });
  });

  describe.each([
    ['a list of proxy addresses', ['127.0.0.1']],
    ['a hop count', 1],
  ])('with REDRESS_TRUST_PROXY as %s', (_, trustProxy) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ rateLimitPerSecond: 5, trustProxy });
    });
    afterAll(() => t.close());

    it('takes the client address from X-Forwarded-For sent by the proxy', async () => {
      expect(await rotatingForwardedFor(t, 12)).not.toContain(429);
    });

    it('still limits a webhook route per path id, whatever address is forwarded', async () => {
      const statuses = await webhookStatuses(t, randomUUID(), 8, true);
      expect(statuses.slice(5)).toEqual([429, 429, 429]);
    });
  });
});

describe('slow clients', () => {
  let t: TestApp & { port: number };
  beforeAll(async () => {
    t = await listening({ headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 1500 });
  });
  afterAll(() => t.close());

  it('closes every socket whose headers do not arrive in time (slow loris)', async () => {
    const sockets = await Promise.all(Array.from({ length: 40 }, () => probe(t.port)));
    const started = Date.now();
    sockets.forEach((p) => p.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n'));
    // One more header line every 100 ms: never idle, never done.
    const drip = setInterval(() => {
      for (const p of sockets) if (!p.socket.destroyed) p.socket.write('X-Slow: 1\r\n');
    }, 100);
    try {
      const closedAt = await within(5000, Promise.all(sockets.map((p) => p.closed)), 'sockets');
      expect(Math.min(...closedAt) - started).toBeGreaterThanOrEqual(300);
      for (const p of sockets) {
        expect(p.received()).toMatch(/^HTTP\/1\.1 408 /);
        expect(p.received()).toContain('"error":"request_timeout"');
      }
    } finally {
      clearInterval(drip);
      sockets.forEach((p) => p.socket.destroy());
    }
    await request(t.server).get('/health').expect(200);
  });

  it('closes a request whose body does not arrive in time', async () => {
    const p = await probe(t.port);
    const started = Date.now();
    p.socket.write(
      'POST /v1/cases HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\n\r\n{',
    );
    const drip = setInterval(() => !p.socket.destroyed && p.socket.write(' '), 100);
    try {
      const closedAt = await within(5000, p.closed, 'slow body');
      // The headers came at once: only the whole-request timeout could close it.
      expect(closedAt - started).toBeGreaterThanOrEqual(700);
      expect(p.received()).not.toMatch(/^HTTP\/1\.1 [23]/);
    } finally {
      clearInterval(drip);
      p.socket.destroy();
    }
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const p = await probe(t.port);
    const started = Date.now();
    p.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
    const closedAt = await within(5000, p.closed, 'idle keep-alive');
    expect(p.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(p.received()).toMatch(/connection: keep-alive/i);
    // At the configured 1.5 s, not at Node's timeout plus its own 1 s buffer.
    expect(closedAt - started).toBeGreaterThanOrEqual(1300);
    expect(closedAt - started).toBeLessThan(2300);
  });
});

describe('connection cap (REDRESS_MAX_CONNECTIONS)', () => {
  let t: TestApp & { port: number };
  beforeAll(async () => {
    t = await listening({ maxConnections: 20 });
  });
  afterAll(() => t.close());

  it('closes the sockets past the cap as they connect, and serves again once they go', async () => {
    const sockets: Probe[] = [];
    for (let i = 0; i < 30; i += 1) sockets.push(await probe(t.port));
    try {
      await within(5000, Promise.all(sockets.slice(20).map((p) => p.closed)), 'extra sockets');
      await sleep(300);
      const open = sockets.filter((p) => p.closedAt() === null);
      expect(open).toHaveLength(20);
      expect(sockets.slice(20).every((p) => p.received() === '')).toBe(true);
      // At the cap, even a well-formed request gets no answer.
      await expect(fetch(`http://127.0.0.1:${t.port}/health`)).rejects.toThrow();
    } finally {
      sockets.forEach((p) => p.socket.destroy());
    }
    await sleep(200);
    const res = await fetch(`http://127.0.0.1:${t.port}/health`);
    expect(res.status).toBe(200);
  });
});

describe('outbound webhook URLs (the wider guard)', () => {
  const OPS_KEY = 'rk_test_network_edges_ops_key_0123456789abcdef';
  const ops = { authorization: `Bearer ${OPS_KEY}` };
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, allowPrivateWebhooks: false });
  });
  afterAll(() => t.close());

  it.each([
    ['https://[64:ff9b::7f00:1]/hook', /a NAT64 address/],
    ['https://[2002:7f00:1::1]/hook', /a 6to4 address/],
    ['https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook', /a Teredo address/],
    ['https://[fec0::1]/hook', /a site-local address/],
    ['https://[100::1]/hook', /a discard-only address/],
    ['https://198.18.0.1/hook', /a reserved address/],
    ['https://192.0.0.1/hook', /a reserved address/],
    ['https://240.0.0.1/hook', /a reserved address/],
    ['https://239.1.2.3/hook', /a multicast address/],
    ['https://[::ffff:198.18.0.1]/hook', /a reserved address/],
    ['https://user:secret@93.184.216.34/hook', /must not hold a user name or password/],
  ])('refuses %s for a merchant and a supplier, storing nothing', async (webhookUrl, problem) => {
    for (const [path, body] of [
      ['/v1/merchants', { name: 'M', country: 'FR', webhookUrl }],
      ['/v1/suppliers', { name: 'S', country: 'CN', webhookUrl }],
    ] as const) {
      const res = await request(t.server).post(path).set(ops).send(body).expect(400);
      expect(res.body).toMatchObject({ error: 'validation_failed' });
      expect(res.body.details).toEqual([
        { field: 'webhookUrl', problem: expect.stringMatching(problem) },
      ]);
    }
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM merchants) + (SELECT count(*) FROM suppliers) AS n`,
    );
    expect(Number(rows[0].n)).toBe(0);
  });
});
