import { isIP } from 'node:net';
import { ConfigError } from './config-error';
import { EvidenceConfig, loadEvidenceConfig } from './evidence-config';
import { loadSecretsConfig, SecretsConfig } from './secrets-config';

export { ConfigError } from './config-error';

/**
 * Configuration read from the environment once at boot and validated. A wrong or missing variable
 * stops the app with one line that names it (see main.ts), never a stack trace.
 */
export interface AppConfig extends SecretsConfig, EvidenceConfig {
  nodeEnv: string;
  host: string;
  port: number;
  /** Unset: the app starts an embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | null;
  databasePoolSize: number;
  dataDir: string;
  embeddedPostgresPort: number;
  testClock: boolean;
  allowPrivateWebhooks: boolean;
  /** Requests per second per API key before 429. */
  rateLimitPerSecond: number;
  schedulerEnabled: boolean;
  schedulerIntervalMs: number;
  dispatcherEnabled: boolean;
  /** How often the outbox is looked at for due notifications. */
  dispatcherIntervalMs: number;
  /** How often expired Idempotency-Keys are swept. */
  idempotencySweepIntervalMs: number;
  /** How often webhook ids past their retention are forgotten. */
  webhookReceiptPurgeIntervalMs: number;
  logLevel: string;
  /**
   * Who may tell us the client's address in `X-Forwarded-For` (`REDRESS_TRUST_PROXY`): nobody
   * (false: the socket's address), a hop count, or the proxies' addresses and CIDRs.
   */
  trustProxy: false | number | string[];
  /** Slow clients (hardening.md "Network edges"): headers, whole request, idle keep-alive, in ms. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Open sockets at most; the ones past it are closed as they connect. */
  maxConnections: number;
  /** Ed25519 private key that signs audit checkpoints (PEM or base64 seed); null: generated. */
  signingKey: string | null;
  checkpointIntervalMs: number;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1 or 0 (got "${raw}")`);
}

function oneOf(env: Env, name: string, fallback: string, allowed: string[]): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw;
}

function databaseUrl(env: Env, nodeEnv: string): string | null {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') {
    if (nodeEnv === 'production') {
      throw new ConfigError(
        'DATABASE_URL is required when NODE_ENV=production (the embedded database is for development)',
      );
    }
    return null;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(
      `DATABASE_URL must be a postgres:// URL (got protocol "${url.protocol}")`,
    );
  }
  return raw;
}

const PROXY_KEYWORDS = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * `REDRESS_TRUST_PROXY`: unset or `0`, trust no proxy; a number, that many hops; otherwise a
 * comma-separated list of addresses, CIDRs or `loopback`/`linklocal`/`uniquelocal`. `true` (trust
 * every sender) is refused on purpose: it lets any client pick its own address.
 */
function trustProxy(env: Env): false | number | string[] {
  const name = 'REDRESS_TRUST_PROXY';
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return false;
  if (/^\d+$/.test(raw)) return int(env, name, 0, 0, 100) || false;
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const maxPrefix = family === 4 ? 32 : 128;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= maxPrefix);
    const ok = PROXY_KEYWORDS.includes(entry) || (family !== 0 && prefixOk && extra === undefined);
    if (!ok) {
      throw new ConfigError(
        `${name} must be a hop count or a comma-separated list of proxy addresses or CIDRs (got "${entry}")`,
      );
    }
  }
  return entries;
}

function signingKey(env: Env, nodeEnv: string): string | null {
  const raw = env.REDRESS_SIGNING_KEY;
  if (raw === undefined || raw === '') {
    if (nodeEnv === 'production') {
      throw new ConfigError(
        'REDRESS_SIGNING_KEY is required when NODE_ENV=production (the Ed25519 key that signs audit checkpoints; it must not live in the database)',
      );
    }
    return null;
  }
  return raw;
}

/** Reads and validates the environment; throws {@link ConfigError} naming the first bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = env.NODE_ENV || 'development';
  return {
    nodeEnv,
    host: env.HOST || '0.0.0.0',
    port: int(env, 'PORT', 3000, 1, 65535),
    databaseUrl: databaseUrl(env, nodeEnv),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    dataDir: env.REDRESS_DATA_DIR || '.redress',
    embeddedPostgresPort: int(env, 'REDRESS_EMBEDDED_PG_PORT', 54329, 1, 65535),
    testClock: flag(env, 'REDRESS_TEST_CLOCK', false),
    allowPrivateWebhooks: flag(env, 'REDRESS_ALLOW_PRIVATE_WEBHOOKS', false),
    rateLimitPerSecond: int(env, 'REDRESS_RATE_LIMIT_PER_SECOND', 100, 1, 10_000_000),
    schedulerEnabled: flag(env, 'REDRESS_SCHEDULER', true),
    schedulerIntervalMs: int(env, 'REDRESS_SCHEDULER_INTERVAL_MS', 1000, 50, 3_600_000),
    dispatcherEnabled: flag(env, 'REDRESS_DISPATCHER', true),
    dispatcherIntervalMs: int(env, 'REDRESS_DISPATCHER_INTERVAL_MS', 1000, 50, 3_600_000),
    idempotencySweepIntervalMs: int(
      env,
      'REDRESS_IDEMPOTENCY_SWEEP_INTERVAL_MS',
      60_000,
      1000,
      86_400_000,
    ),
    webhookReceiptPurgeIntervalMs: int(
      env,
      'REDRESS_WEBHOOK_RECEIPT_PURGE_INTERVAL_MS',
      3_600_000,
      1000,
      86_400_000,
    ),
    signingKey: signingKey(env, nodeEnv),
    checkpointIntervalMs: int(env, 'REDRESS_CHECKPOINT_INTERVAL_MS', 60_000, 1000, 86_400_000),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ]),
    trustProxy: trustProxy(env),
    ...slowClientLimits(env),
    ...loadSecretsConfig(env, nodeEnv),
    ...loadEvidenceConfig(env),
  };
}

function slowClientLimits(env: Env) {
  const limits = {
    headersTimeoutMs: int(env, 'REDRESS_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    requestTimeoutMs: int(env, 'REDRESS_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
    keepAliveTimeoutMs: int(env, 'REDRESS_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
    maxConnections: int(env, 'REDRESS_MAX_CONNECTIONS', 1_000, 1, 1_000_000),
  };
  // Node refuses a headers timeout longer than the whole request's.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError(
      'REDRESS_HEADERS_TIMEOUT_MS must not be longer than REDRESS_REQUEST_TIMEOUT_MS',
    );
  }
  return limits;
}

/** Nest injection token for {@link AppConfig}. */
export const APP_CONFIG = Symbol('APP_CONFIG');
