import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_SECRET_KEY_FILE, resolveSecretKey } from './secret-key';

describe('resolveSecretKey', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'redress-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses REDRESS_SECRET_KEY when given, and writes nothing', () => {
    const key = randomBytes(32);
    const dataDir = join(dir, 'data');
    expect(resolveSecretKey({ secretKey: key, dataDir, nodeEnv: 'production' })).toBe(key);
    expect(() => statSync(dataDir)).toThrow();
  });

  it('generates a key into the data directory in development, then reuses it', () => {
    const dataDir = join(dir, 'data');
    const first = resolveSecretKey({ secretKey: null, dataDir, nodeEnv: 'development' });
    expect(first).toHaveLength(32);
    const file = join(dataDir, DEV_SECRET_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toEqual(first);
    expect(resolveSecretKey({ secretKey: null, dataDir, nodeEnv: 'test' })).toEqual(first);
  });

  it('never generates one in production, and refuses a damaged key file', () => {
    expect(() =>
      resolveSecretKey({ secretKey: null, dataDir: dir, nodeEnv: 'production' }),
    ).toThrow(/REDRESS_SECRET_KEY is required/);
    writeFileSync(join(dir, DEV_SECRET_KEY_FILE), 'short\n');
    expect(() =>
      resolveSecretKey({ secretKey: null, dataDir: dir, nodeEnv: 'development' }),
    ).toThrow(/does not hold a 32-byte key/);
  });
});
