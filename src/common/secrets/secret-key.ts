import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSecretKey } from '../../config/secrets-config';
import { SECRET_KEY_BYTES } from './secret-box';

/** Where a development server keeps the key it generated, inside its data directory. */
export const DEV_SECRET_KEY_FILE = 'secret-box.key';

/**
 * The key that seals stored secrets: `REDRESS_SECRET_KEY` when set (config requires it in
 * production), else the one generated into the data directory on the first start, so that secrets
 * sealed by one development run still open in the next. Created with a hard link from a temporary
 * file, so that two processes starting at once (tests, two instances) end up with the same key
 * and never read a half-written file.
 */
export function resolveSecretKey(config: {
  secretKey: Buffer | null;
  dataDir: string;
  nodeEnv: string;
}): Buffer {
  if (config.secretKey) return config.secretKey;
  if (config.nodeEnv === 'production') {
    throw new Error('REDRESS_SECRET_KEY is required when NODE_ENV=production');
  }
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, DEV_SECRET_KEY_FILE);
  const existing = readKey(file);
  if (existing) return existing;
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, `${randomBytes(SECRET_KEY_BYTES).toString('base64')}\n`, {
    mode: 0o600,
  });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  const key = readKey(file);
  if (!key)
    throw new Error(`${file} does not hold a 32-byte key (base64); remove it to start over`);
  return key;
}

function readKey(file: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = parseSecretKey(text);
  if (!key)
    throw new Error(`${file} does not hold a 32-byte key (base64); remove it to start over`);
  return key;
}
