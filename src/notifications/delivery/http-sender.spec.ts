import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { generateWebhookSecret, verifyWebhook } from '../../webhooks/signature/webhook-signature';
import { postSigned } from './http-sender';

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

    const result = await postSigned({ url: started.url, secret, msgId: 'ntf_1', body, now });

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
    const result = await postSigned({ url: started.url, secret, msgId: 'ntf_2', body, now });
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
    const result = await postSigned({ url: started.url, secret, msgId: 'ntf_3', body, now });
    expect(result).toMatchObject({ delivered: false, status: 429, retryAfter: '120' });
  });

  it('does not follow a redirect', async () => {
    const started = await startServer((req, res) => {
      if (req.url === '/hooks') res.writeHead(307, { location: '/elsewhere' }).end();
      else res.writeHead(200).end();
    });
    server = started.server;
    const result = await postSigned({ url: started.url, secret, msgId: 'ntf_4', body, now });
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
      url: started.url,
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
        url: `http://127.0.0.1:${port}/hooks`,
        secret,
        msgId: 'ntf_6',
        body,
        now,
      });
      expect(result).toMatchObject({
        delivered: false,
        status: null,
        error: expect.stringMatching(/^fetch failed: /),
      });
    } finally {
      await new Promise<void>((resolve) => rude.close(() => resolve()));
    }
  });

  it.each([
    ['a URL that does not parse', { url: 'not a url' }],
    ['a secret that is not base64', { url: 'http://127.0.0.1:9/', secret: 'whsec_!!!' }],
  ])('reports %s without throwing', async (_, overrides) => {
    const result = await postSigned({ secret, msgId: 'ntf_7', body, now, ...overrides });
    expect(result).toMatchObject({ delivered: false, status: null, error: expect.any(String) });
  });
});
