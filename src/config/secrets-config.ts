import { ConfigError } from './config-error';

type Env = Record<string, string | undefined>;

/** The variables that guard access and secrets (hardening.md "Keys and secrets"). */
export interface SecretsConfig {
  /** Made sure to exist as an ops key at boot; at least 32 characters in production. */
  bootstrapOpsKey: string | null;
  /**
   * The AES-256 key that seals stored secrets (`REDRESS_SECRET_KEY`). Required in production;
   * null in development, where one is generated into the data directory.
   */
  secretKey: Buffer | null;
  /** When set, `/metrics` needs `Authorization: Bearer <token>`. Required in production. */
  metricsToken: string | null;
}

export const MIN_PRODUCTION_BOOTSTRAP_KEY_LENGTH = 32;

/**
 * A 32-byte key written as 64 hex digits or as base64 / base64url (`openssl rand -base64 32`);
 * null when the text is neither.
 */
export function parseSecretKey(raw: string): Buffer | null {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) return null;
  const bytes = Buffer.from(
    text,
    text.includes('-') || text.includes('_') ? 'base64url' : 'base64',
  );
  return bytes.length === 32 ? bytes : null;
}

function required(env: Env, name: string, nodeEnv: string, why: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    if (nodeEnv === 'production') {
      throw new ConfigError(`${name} is required when NODE_ENV=production (${why})`);
    }
    return null;
  }
  return raw;
}

function bootstrapOpsKey(env: Env, nodeEnv: string): string | null {
  const key = env.REDRESS_BOOTSTRAP_OPS_KEY || null;
  if (key && nodeEnv === 'production' && key.length < MIN_PRODUCTION_BOOTSTRAP_KEY_LENGTH) {
    throw new ConfigError(
      `REDRESS_BOOTSTRAP_OPS_KEY must be at least ${MIN_PRODUCTION_BOOTSTRAP_KEY_LENGTH} characters ` +
        `when NODE_ENV=production (got ${key.length}); generate one with: openssl rand -base64 32`,
    );
  }
  return key;
}

function secretKey(env: Env, nodeEnv: string): Buffer | null {
  const raw = required(env, 'REDRESS_SECRET_KEY', nodeEnv, 'it seals the stored secrets');
  if (raw === null) return null;
  const key = parseSecretKey(raw);
  if (!key) {
    throw new ConfigError(
      'REDRESS_SECRET_KEY must be 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)',
    );
  }
  return key;
}

/** Reads and checks the variables of {@link SecretsConfig}; throws {@link ConfigError}. */
export function loadSecretsConfig(env: Env, nodeEnv: string): SecretsConfig {
  return {
    bootstrapOpsKey: bootstrapOpsKey(env, nodeEnv),
    secretKey: secretKey(env, nodeEnv),
    metricsToken: required(env, 'REDRESS_METRICS_TOKEN', nodeEnv, '/metrics is not public'),
  };
}
