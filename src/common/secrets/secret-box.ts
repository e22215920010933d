import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Bytes of an AES-256 key. */
export const SECRET_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 'sb1';

/** A sealed value that cannot be opened: tampered with, sealed for another purpose, or malformed. */
export class SecretBoxError extends Error {}

/**
 * Seals secrets that Redress must read back (webhook secrets that sign outbound deliveries,
 * integration secrets that verify inbound signatures) with AES-256-GCM under `REDRESS_SECRET_KEY`.
 *
 * A sealed value is text: `sb1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts). The key id
 * (8 hex characters of a hash of the key, not the key) says which key sealed it, so a server
 * started with the wrong key refuses with a clear message instead of a bare authentication
 * failure. `purpose` is authenticated data: a value sealed as a webhook secret cannot be passed off
 * as another kind of secret. GCM's tag detects any change to the stored text.
 */
export class SecretBox {
  readonly keyId: string;

  constructor(private readonly key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) {
      throw new SecretBoxError(`The secret key must be ${SECRET_KEY_BYTES} bytes`);
    }
    this.keyId = createHash('sha256')
      .update('redress-secret-box-key-id\n')
      .update(key)
      .digest('hex')
      .slice(0, 8);
  }

  seal(plain: string, purpose: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv, body, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** The plain text of a value {@link seal}ed with this key and `purpose`; throws otherwise. */
  open(sealed: string, purpose: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) {
      throw new SecretBoxError('Not a sealed secret');
    }
    const [, keyId, iv, body, tag] = parts;
    if (keyId !== this.keyId) {
      throw new SecretBoxError(
        `This secret was sealed with another REDRESS_SECRET_KEY (key id ${keyId}; this server's is ${this.keyId})`,
      );
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new SecretBoxError('Not a sealed secret');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, ivBytes, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(purpose, 'utf8'));
      decipher.setAuthTag(tagBytes);
      const plain = Buffer.concat([
        decipher.update(Buffer.from(body, 'base64url')),
        decipher.final(),
      ]);
      return plain.toString('utf8');
    } catch {
      throw new SecretBoxError('The sealed secret was altered, or sealed for another purpose');
    }
  }

  /** Whether a stored value looks sealed (as opposed to a plain value from before sealing). */
  static isSealed(stored: string): boolean {
    return stored.startsWith(`${VERSION}.`);
  }
}
