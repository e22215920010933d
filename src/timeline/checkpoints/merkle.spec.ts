import { createHash } from 'node:crypto';
import { leafHash, MerkleBuilder } from './merkle';

const sha = (...parts: Buffer[]) => {
  const h = createHash('sha256');
  parts.forEach((p) => h.update(p));
  return h.digest();
};

/** RFC 6962's recursive definition, written out, to check the streaming builder against. */
function reference(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Buffer.from([1]), reference(leaves.slice(0, k)), reference(leaves.slice(k)));
}

describe('MerkleBuilder (RFC 6962 tree hash over case heads)', () => {
  const heads = Array.from({ length: 37 }, (_, i) => ({
    caseId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    seq: i + 1,
    hash: createHash('sha256').update(String(i)).digest('hex'),
  }));

  it.each([0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 37])(
    'matches the recursive definition for %i leaves',
    (n) => {
      const builder = new MerkleBuilder();
      heads.slice(0, n).forEach((h) => builder.add(h));
      expect(builder.count).toBe(n);
      expect(builder.root()).toBe(reference(heads.slice(0, n).map(leafHash)).toString('hex'));
    },
  );

  it('encodes a leaf as 0x00 || "caseId:seq:hash"', () => {
    const h = heads[0];
    expect(leafHash(h)).toEqual(sha(Buffer.from([0]), Buffer.from(`${h.caseId}:1:${h.hash}`)));
  });

  it('changes with any head', () => {
    const a = new MerkleBuilder();
    const b = new MerkleBuilder();
    heads.forEach((h, i) => {
      a.add(h);
      b.add(i === 20 ? { ...h, hash: 'f'.repeat(64) } : h);
    });
    expect(a.root()).not.toBe(b.root());
  });
});
