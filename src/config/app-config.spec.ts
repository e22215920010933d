import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working defaults for a fresh machine (embedded database, port 3000)', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeNull();
    expect(config.testClock).toBe(false);
    expect(config.rateLimitPerSecond).toBe(100);
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be an integer/],
    [{ PORT: '70000' }, /^PORT must be an integer from 1 to 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres:\/\/ URL/],
    [{ NODE_ENV: 'production' }, /^DATABASE_URL is required/],
    [{ REDRESS_TEST_CLOCK: 'maybe' }, /^REDRESS_TEST_CLOCK must be 1 or 0/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
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
});
