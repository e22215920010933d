import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';

describe('foundation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /health answers 200 once the database answers', async () => {
    const res = await request(t.server).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database.status).toBe('up');
  });

  it('GET /health answers 503 while its database refuses connections, 200 again after', async () => {
    const own = await startTestApp();
    const name = own.db.name;
    const admin = t.db.pool;
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      const res = await request(own.server).get('/health').expect(503);
      expect(res.body).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
      expect(res.headers['retry-after']).toBe('1');
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await request(own.server).get('/health').expect(200);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await own.close();
    }
  });

  it('serves a valid OpenAPI document at /docs-json and the UI at /docs', async () => {
    const res = await request(t.server).get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info.title).toBe('Redress API');
    expect(Object.keys(res.body.paths)).toContain('/health');
    await request(t.server).get('/docs').expect(200).expect('content-type', /html/);
  });

  it('sets security headers (helmet) and a request id', async () => {
    const res = await request(t.server).get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-request-id']).toMatch(/.+/);
    const given = await request(t.server).get('/health').set('x-request-id', 'req-abc.1');
    expect(given.headers['x-request-id']).toBe('req-abc.1');
  });

  it('answers 413 payload_too_large for a 2 MiB body', async () => {
    const body = JSON.stringify({ blob: 'x'.repeat(2 * 1024 * 1024) });
    const res = await request(t.server)
      .post('/health')
      .set('content-type', 'application/json')
      .send(body)
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'payload_too_large' });
  });

  it('answers 400 validation_failed for malformed JSON, never 500', async () => {
    const res = await request(t.server)
      .post('/health')
      .set('content-type', 'application/json')
      .send('{"broken": ')
      .expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
    expect(res.body.details[0].field).toBe('body');
  });

  it('answers 404 not_found in the contract shape for an unknown route', async () => {
    const res = await request(t.server).get('/nowhere').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'not_found' });
    expect(typeof res.body.message).toBe('string');
  });
});

describe('configuration at boot', () => {
  const main = resolve(__dirname, '../../dist/src/main.js');

  it.each([
    [{ PORT: 'not-a-port' }, 'PORT'],
    [{ NODE_ENV: 'production', DATABASE_URL: '' }, 'DATABASE_URL'],
  ])('stops with one line naming the bad variable: %j', (env, name) => {
    const run = spawnSync(process.execPath, [main], {
      env: { PATH: process.env.PATH, ...env },
      encoding: 'utf8',
      timeout: 20000,
    });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
