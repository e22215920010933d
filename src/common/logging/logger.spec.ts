import Fastify from 'fastify';
import { Writable } from 'node:stream';
import { createLogger, NestPinoLogger, redactLinkTokens, RequestLog } from './logger';

/** A pino destination keeping each JSON line it is given. */
function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

describe('NestPinoLogger: Nest messages as pino lines', () => {
  it('maps Nest levels to pino levels, the last string to context, the one before to stack', () => {
    const out = capture();
    const nest = new NestPinoLogger(createLogger('trace', out.stream));
    nest.log('started', 'NestApplication');
    nest.error('drain failed', 'Error: x\n    at y', 'TimerScheduler');
    nest.warn('slow');
    nest.verbose('details', 'Ctx');
    const [log, error, warn, verbose] = out.lines();
    expect(log).toMatchObject({ level: 30, msg: 'started', context: 'NestApplication' });
    expect(error).toMatchObject({
      level: 50,
      msg: 'drain failed',
      context: 'TimerScheduler',
      stack: 'Error: x\n    at y',
    });
    expect(warn).toMatchObject({ level: 40, msg: 'slow' });
    expect(warn.context).toBeUndefined();
    expect(verbose).toMatchObject({ level: 10, msg: 'details', context: 'Ctx' });
  });

  it('logs an Error with its stack, and writes nothing below the level', () => {
    const out = capture();
    const nest = new NestPinoLogger(createLogger('warn', out.stream));
    nest.log('not written');
    nest.debug('not written either');
    nest.error(new Error('boom'), 'Errors');
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'boom', context: 'Errors' });
    expect((lines[0].err as { stack: string }).stack).toContain('Error: boom');
  });
});

describe('RequestLog: one line per request', () => {
  async function appLogging() {
    const out = capture();
    const fastify = Fastify({
      loggerInstance: createLogger('info', out.stream),
      logController: new RequestLog(),
      genReqId: () => 'req-1',
    });
    fastify.get('/v1/things', () => ({ ok: true }));
    fastify.get('/health', () => ({ status: 'ok' }));
    await fastify.ready();
    return { fastify, out };
  }

  it('with the request id, method, url, status and time, and never the API key', async () => {
    const { fastify, out } = await appLogging();
    const res = await fastify.inject({
      method: 'GET',
      url: '/v1/things?limit=2',
      headers: { authorization: 'Bearer rk_live_never_logged' },
    });
    expect(res.statusCode).toBe(200);
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: 'req-1',
      req: { method: 'GET', url: '/v1/things?limit=2' },
      res: { statusCode: 200 },
    });
    expect(typeof lines[0].responseTime).toBe('number');
    expect(JSON.stringify(lines)).not.toContain('rk_live_never_logged');
    await fastify.close();
  });

  it('leaves out /health, which load balancers poll', async () => {
    const { fastify, out } = await appLogging();
    await fastify.inject({ method: 'GET', url: '/health' });
    await fastify.inject({ method: 'GET', url: '/nowhere' });
    const completed = out.lines().filter((l) => l.msg === 'request completed');
    expect(completed.map((l) => (l.req as { url: string }).url)).toEqual(['/nowhere']);
    await fastify.close();
  });
});

describe('redactLinkTokens: a link token never reaches the log', () => {
  it.each([
    ['/s/AbC_-123', '/s/…'],
    ['/s/AbC_-123?x=1', '/s/…?x=1'],
    ['/v1/portal/AbC_-123', '/v1/portal/…'],
    ['/v1/portal/AbC_-123/events', '/v1/portal/…/events'],
    ['/b/tok', '/b/…'],
    ['/v1/buyer/tok/evidence', '/v1/buyer/…/evidence'],
    ['/v1/cases/abc/timeline', '/v1/cases/abc/timeline'],
    ['/ops/s/x', '/ops/s/x'],
  ])('%s -> %s', (url, logged) => {
    expect(redactLinkTokens(url)).toBe(logged);
  });
});
