import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { generateWebhookSecret, verifyWebhook } from '../../webhooks/signature/webhook-signature';
import { pinnedLookup, postSigned } from './http-sender';
import { checkWebhookUrl, WebhookTarget } from './webhook-url-policy';

/** The target the policy gives for `url` (loopback allowed, as in development). */
async function target(url: string, lookup?: (host: string) => Promise<string[]>) {
  const check = await checkWebhookUrl(url, { allowPrivate: true, lookup });
  if (!check.ok) throw new Error(check.problem);
  return check.target;
}

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on 127.0.0.1 whose answer each test chooses. */
async function startServer(
  answer: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, server };
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('postSigned', () => {
  const secret = generateWebhookSecret();
  const now = new Date('2025-03-10T12:00:00.000Z');
  const body = JSON.stringify({
    type: 'merchant.case_closed',
    caseId: 'c_1',
    text: 'Merci ! 您好',
  });
  let server: Server | undefined;

  afterEach(async () => {
    if (server) await stop(server);
    server = undefined;
  });

  it('delivers on 2xx, with headers the receiver can verify on its own clock', async () => {
    const started = await startServer((_, res) => res.writeHead(204).end());
    server = started.server;

    const result = await postSigned({
      target: await target(started.url),
      secret,
      msgId: 'ntf_1',
      body,
      now,
    });

    expect(result).toEqual({
      delivered: true,
      status: 204,
      error: null,
      retryAfter: null,
      durationMs: expect.any(Number),
    });
    const [request] = started.received;
    expect(request.body).toBe(body);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['webhook-id']).toBe('ntf_1');
    expect(request.headers['webhook-timestamp']).toBe(String(now.getTime() / 1000));
    expect(
      verifyWebhook({ secrets: [secret], headers: request.headers, rawBody: request.body, now }),
    ).toEqual({ ok: true, id: 'ntf_1', timestamp: now.getTime() / 1000 });
    expect(
      verifyWebhook({
        secrets: [generateWebhookSecret()],
        headers: request.headers,
        rawBody: request.body,
        now,
      }).ok,
    ).toBe(false);
  });

  it('does not count a 500 as delivered', async () => {
    const started = await startServer((_, res) => res.writeHead(500).end('boom'));
    server = started.server;
    const result = await postSigned({
      target: await target(started.url),
      secret,
      msgId: 'ntf_2',
      body,
      now,
    });
    expect(result).toMatchObject({
      delivered: false,
      status: 500,
      error: 'HTTP 500',
      retryAfter: null,
    });
  });

  it('reads Retry-After', async () => {
    const started = await startServer((_, res) =>
      res.writeHead(429, { 'retry-after': '120' }).end(),
    );
    server = started.server;
    const result = await postSigned({
      target: await target(started.url),
      secret,
      msgId: 'ntf_3',
      body,
      now,
    });
    expect(result).toMatchObject({ delivered: false, status: 429, retryAfter: '120' });
  });

  it('does not follow a redirect', async () => {
    const started = await startServer((req, res) => {
      if (req.url === '/hooks') res.writeHead(307, { location: '/elsewhere' }).end();
      else res.writeHead(200).end();
    });
    server = started.server;
    const result = await postSigned({
      target: await target(started.url),
      secret,
      msgId: 'ntf_4',
      body,
      now,
    });
    expect(result).toMatchObject({
      delivered: false,
      status: 307,
      error: 'HTTP 307 (redirects are not followed)',
    });
    expect(started.received).toHaveLength(1);
  });

  it('gives up on a receiver that hangs longer than the timeout', async () => {
    const started = await startServer(() => undefined); // never answers
    server = started.server;
    const result = await postSigned({
      target: await target(started.url),
      secret,
      msgId: 'ntf_5',
      body,
      now,
      timeoutMs: 200,
    });
    expect(result).toMatchObject({
      delivered: false,
      status: null,
      error: 'no answer within 200 ms',
      retryAfter: null,
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(150);
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('reports a connection closed without an answer, without throwing', async () => {
    // A raw TCP server that hangs up at once (a closed port could be reused by a parallel test).
    const rude = createNetServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    const { port } = rude.address() as AddressInfo;
    try {
      const result = await postSigned({
        target: await target(`http://127.0.0.1:${port}/hooks`),
        secret,
        msgId: 'ntf_6',
        body,
        now,
      });
      expect(result).toMatchObject({
        delivered: false,
        status: null,
        error: expect.stringMatching(/^connection failed: ECONNRESET/),
      });
    } finally {
      await new Promise<void>((resolve) => rude.close(() => resolve()));
    }
  });

  it('reports a secret that is not base64 without throwing', async () => {
    const result = await postSigned({
      target: await target('http://127.0.0.1:9/'),
      secret: 'whsec_!!!',
      msgId: 'ntf_7',
      body,
      now,
    });
    expect(result).toMatchObject({ delivered: false, status: null, error: expect.any(String) });
  });

  describe('connects to the address that was checked (DNS rebinding)', () => {
    /** A resolver whose first answer is 127.0.0.1 and every later one 127.0.0.2. */
    function rebindingDns() {
      let calls = 0;
      const lookup = async (): Promise<string[]> => (calls++ === 0 ? ['127.0.0.1'] : ['127.0.0.2']);
      return { lookup, calls: () => calls };
    }

    it('delivers to the first answer even when the name now resolves elsewhere', async () => {
      const checked = await startServer((_, res) => res.writeHead(204).end());
      server = checked.server;
      const { port } = checked.server.address() as AddressInfo;
      // A second receiver on the same port of the address a second lookup would give.
      const other = await startServer((_, res) => res.writeHead(204).end());
      await new Promise<void>((resolve) => other.server.close(() => resolve()));
      await new Promise<void>((resolve) => other.server.listen(port, '127.0.0.2', resolve));
      try {
        const dns = rebindingDns();
        const pinned = await target(`http://hooks.rebind.test:${port}/hooks`, dns.lookup);
        expect(await dns.lookup()).toEqual(['127.0.0.2']); // the name has moved on

        const result = await postSigned({ target: pinned, secret, msgId: 'ntf_8', body, now });

        expect(result).toMatchObject({ delivered: true, status: 204 });
        expect(checked.received).toHaveLength(1);
        expect(checked.received[0].headers.host).toBe(`hooks.rebind.test:${port}`);
        expect(other.received).toHaveLength(0);
        expect(dns.calls()).toBe(2); // the check's and ours: the sender asked no one
      } finally {
        await stop(other.server);
      }
    });

    it('keeps the host name for TLS (SNI) while connecting to the checked address', async () => {
      let hello: Buffer = Buffer.alloc(0);
      const tlsPeer = createNetServer((socket) =>
        socket.once('data', (chunk: Buffer) => {
          hello = chunk;
          socket.destroy();
        }),
      );
      await new Promise<void>((resolve) => tlsPeer.listen(0, '127.0.0.1', resolve));
      const { port } = tlsPeer.address() as AddressInfo;
      try {
        const pinned = await target(`https://hooks.rebind.test:${port}/hooks`, async () => [
          '127.0.0.1',
        ]);
        const result = await postSigned({ target: pinned, secret, msgId: 'ntf_9', body, now });
        expect(result).toMatchObject({ delivered: false, status: null });
        // The ClientHello reached 127.0.0.1 and names the host in its server_name extension.
        expect(hello.includes('hooks.rebind.test')).toBe(true);
      } finally {
        await new Promise<void>((resolve) => tlsPeer.close(() => resolve()));
      }
    });

    it('answers the checked address for any name, one address or all', () => {
      const checked: WebhookTarget = {
        url: new URL('https://hooks.example.com/'),
        address: '2606:4700::1111',
        family: 6,
      };
      const lookup = pinnedLookup(checked);
      const answers: unknown[] = [];
      lookup('anything.example', { all: true }, (...args: unknown[]) => answers.push(args));
      lookup('hooks.example.com', {}, (...args: unknown[]) => answers.push(args));
      expect(answers).toEqual([
        [null, [{ address: '2606:4700::1111', family: 6 }]],
        [null, '2606:4700::1111', 6],
      ]);
    });
  });
});
