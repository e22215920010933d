import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM: what `GET /v1/audit/checkpoints` shows and verifiers pin. */
  publicKeyPem: string;
}

/** A PKCS#8 PEM, or the 32-byte Ed25519 seed in base64 / base64url / hex. */
export function parseSigningKey(raw: string): SigningKey {
  const text = raw.trim();
  let privateKey: KeyObject;
  if (text.startsWith('-----BEGIN')) {
    privateKey = createPrivateKey(text);
  } else {
    const seed = /^[0-9a-f]{64}$/i.test(text)
      ? Buffer.from(text, 'hex')
      : Buffer.from(text, 'base64');
    if (seed.length !== 32) {
      throw new Error(
        'REDRESS_SIGNING_KEY must be an Ed25519 private key: PKCS#8 PEM or a 32-byte seed',
      );
    }
    // PKCS#8 prefix of an Ed25519 private key (RFC 8410), followed by the seed.
    const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
    privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error('REDRESS_SIGNING_KEY must be an Ed25519 key');
  }
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/**
 * The key from REDRESS_SIGNING_KEY, else (development only: production requires the variable,
 * see app-config.ts) one generated once into `<dataDir>/signing-key.pem`, readable by its owner
 * only. Never in the database: whoever can rewrite the database must not be able to re-sign.
 */
export function loadSigningKey(configured: string | null, dataDir: string): SigningKey {
  if (configured) return parseSigningKey(configured);
  const file = join(dataDir, 'signing-key.pem');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), {
      mode: 0o600,
      flag: 'wx',
    });
    chmodSync(file, 0o600);
  }
  return parseSigningKey(readFileSync(file, 'utf8'));
}
