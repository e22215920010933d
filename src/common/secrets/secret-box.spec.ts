import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox (AES-256-GCM)', () => {
  const box = new SecretBox(randomBytes(32));

  it('round-trips a secret, and the sealed text does not contain it', () => {
    const secret = 'whsec_' + randomBytes(32).toString('base64');
    const sealed = box.seal(secret, 'webhook-secret');
    expect(sealed).toMatch(/^sb1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(secret.slice(6));
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(box.open(sealed, 'webhook-secret')).toBe(secret);
  });

  it('seals the same secret differently each time (random IV)', () => {
    expect(box.seal('same', 'p')).not.toBe(box.seal('same', 'p'));
  });

  it('round-trips empty and non-ASCII text', () => {
    for (const text of ['', 'clé 秘密 🔑']) expect(box.open(box.seal(text, 'p'), 'p')).toBe(text);
  });

  it('detects any change to the sealed text', () => {
    const sealed = box.seal('shopify-secret', 'integration');
    const parts = sealed.split('.');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 1;
      const tampered = [...parts];
      tampered[index] = bytes.toString('base64url');
      expect(() => box.open(tampered.join('.'), 'integration')).toThrow(SecretBoxError);
    }
  });

  it('refuses a value sealed for another purpose', () => {
    const sealed = box.seal('shopify-secret', 'integration');
    expect(() => box.open(sealed, 'webhook-secret')).toThrow(/altered, or sealed for another/);
  });

  it('refuses a value sealed with another key, saying so', () => {
    const other = new SecretBox(randomBytes(32));
    const sealed = other.seal('secret', 'p');
    expect(() => box.open(sealed, 'p')).toThrow(/another REDRESS_SECRET_KEY/);
    // Even with the key id forged to match, the tag does not verify under the wrong key.
    const forged = sealed.replace(`.${other.keyId}.`, `.${box.keyId}.`);
    expect(() => box.open(forged, 'p')).toThrow(SecretBoxError);
  });

  it('refuses malformed values and keys of the wrong size', () => {
    for (const bad of ['', 'whsec_abc', 'sb1.x', `sb1.${box.keyId}.AA.AA.AA`]) {
      expect(() => box.open(bad, 'p')).toThrow(SecretBoxError);
    }
    expect(() => new SecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});
