import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working defaults for a fresh machine (embedded database, port 3000)', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeNull();
    expect(config.testClock).toBe(false);
    expect(config.rateLimitPerSecond).toBe(100);
    expect(config).toMatchObject({
      schedulerIntervalMs: 1000,
      dispatcherIntervalMs: 1000,
      idempotencySweepIntervalMs: 60_000,
      webhookReceiptPurgeIntervalMs: 3_600_000,
    });
  });

  it('reads the intervals of the periodic work', () => {
    const config = loadConfig({
      REDRESS_SCHEDULER_INTERVAL_MS: '200',
      REDRESS_DISPATCHER_INTERVAL_MS: '500',
      REDRESS_IDEMPOTENCY_SWEEP_INTERVAL_MS: '30000',
      REDRESS_WEBHOOK_RECEIPT_PURGE_INTERVAL_MS: '600000',
    });
    expect(config).toMatchObject({
      schedulerIntervalMs: 200,
      dispatcherIntervalMs: 500,
      idempotencySweepIntervalMs: 30_000,
      webhookReceiptPurgeIntervalMs: 600_000,
    });
    expect(() => loadConfig({ REDRESS_DISPATCHER_INTERVAL_MS: '10' })).toThrow(
      /^REDRESS_DISPATCHER_INTERVAL_MS must be an integer/,
    );
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be an integer/],
    [{ PORT: '70000' }, /^PORT must be an integer from 1 to 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres:\/\/ URL/],
    [{ NODE_ENV: 'production' }, /^DATABASE_URL is required/],
    [{ REDRESS_TEST_CLOCK: 'maybe' }, /^REDRESS_TEST_CLOCK must be 1 or 0/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
    [{ REDRESS_TRUST_PROXY: 'true' }, /^REDRESS_TRUST_PROXY must be a hop count or a comma/],
    [{ REDRESS_TRUST_PROXY: '10.0.0.0/33' }, /^REDRESS_TRUST_PROXY .*"10\.0\.0\.0\/33"/],
    [{ REDRESS_TRUST_PROXY: '10.0.0.1,proxy.local' }, /^REDRESS_TRUST_PROXY .*"proxy\.local"/],
    [{ REDRESS_TRUST_PROXY: '1000' }, /^REDRESS_TRUST_PROXY must be an integer from 0 to 100/],
    [{ REDRESS_MAX_CONNECTIONS: '0' }, /^REDRESS_MAX_CONNECTIONS must be an integer from 1/],
    [
      { REDRESS_HEADERS_TIMEOUT_MS: '20000', REDRESS_REQUEST_TIMEOUT_MS: '10000' },
      /^REDRESS_HEADERS_TIMEOUT_MS must not be longer than REDRESS_REQUEST_TIMEOUT_MS/,
    ],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads flags and numbers', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@h:5432/d',
      REDRESS_TEST_CLOCK: '1',
      REDRESS_ALLOW_PRIVATE_WEBHOOKS: 'true',
    });
    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://u@h:5432/d',
      testClock: true,
      allowPrivateWebhooks: true,
    });
  });

  it('trusts no proxy and limits slow clients by default (hardening.md "Network edges")', () => {
    expect(loadConfig({})).toMatchObject({
      trustProxy: false,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1_000,
    });
    expect(loadConfig({ REDRESS_TRUST_PROXY: '0' }).trustProxy).toBe(false);
  });

  it.each([
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    ['10.0.0.0/8, 2001:db8::/32,loopback', ['10.0.0.0/8', '2001:db8::/32', 'loopback']],
  ])('reads REDRESS_TRUST_PROXY=%j', (raw, expected) => {
    expect(loadConfig({ REDRESS_TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  describe('production checks', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u@h:5432/d',
      REDRESS_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      REDRESS_METRICS_TOKEN: 'metrics-token',
      REDRESS_SIGNING_KEY: Buffer.alloc(32, 9).toString('base64'),
    };

    it('starts with a secret key, a metrics token and a long enough bootstrap key', () => {
      const config = loadConfig({ ...production, REDRESS_BOOTSTRAP_OPS_KEY: 'k'.repeat(32) });
      expect(config.secretKey).toEqual(Buffer.alloc(32, 7));
      expect(config.metricsToken).toBe('metrics-token');
      expect(config.bootstrapOpsKey).toBe('k'.repeat(32));
    });

    it.each([
      [
        { REDRESS_BOOTSTRAP_OPS_KEY: 'k'.repeat(31) },
        /^REDRESS_BOOTSTRAP_OPS_KEY must be at least 32 characters when NODE_ENV=production \(got 31\)/,
      ],
      [{ REDRESS_BOOTSTRAP_OPS_KEY: 'x' }, /^REDRESS_BOOTSTRAP_OPS_KEY must be at least 32/],
      [{ REDRESS_SECRET_KEY: '' }, /^REDRESS_SECRET_KEY is required when NODE_ENV=production/],
      [
        { REDRESS_METRICS_TOKEN: '' },
        /^REDRESS_METRICS_TOKEN is required when NODE_ENV=production/,
      ],
      [{ REDRESS_SIGNING_KEY: '' }, /^REDRESS_SIGNING_KEY is required when NODE_ENV=production/],
      [{ REDRESS_SECRET_KEY: 'too-short' }, /^REDRESS_SECRET_KEY must be 32 bytes/],
      [
        { REDRESS_SECRET_KEY: Buffer.alloc(31).toString('base64') },
        /^REDRESS_SECRET_KEY must be 32 bytes/,
      ],
    ])('stops on %j with a message naming the variable', (change, message) => {
      expect(() => loadConfig({ ...production, ...change })).toThrow(ConfigError);
      expect(() => loadConfig({ ...production, ...change })).toThrow(message);
    });

    it('accepts the secret key as 64 hex digits or base64url too', () => {
      const key = Buffer.alloc(32, 0xfb);
      for (const text of [key.toString('hex'), key.toString('base64url')]) {
        expect(loadConfig({ ...production, REDRESS_SECRET_KEY: text }).secretKey).toEqual(key);
      }
    });

    it('asks none of them in development (a short bootstrap key, no token, a generated key)', () => {
      const config = loadConfig({ REDRESS_BOOTSTRAP_OPS_KEY: 'dev' });
      expect(config).toMatchObject({ bootstrapOpsKey: 'dev', secretKey: null, metricsToken: null });
    });
  });
});
