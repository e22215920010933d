import { createHash } from 'node:crypto';

/**
 * The Merkle root a checkpoint signs, over the case heads in caseId order (RFC 6962's tree hash,
 * SHA-256):
 * - leaf = SHA-256(0x00 || UTF-8 of `<caseId>:<seq>:<hash>`), caseId a lowercase UUID, seq in
 *   decimal, hash the entry's lowercase hex hash;
 * - node = SHA-256(0x01 || left || right) over the two 32-byte digests;
 * - n > 1 leaves: the left subtree holds the largest power of two smaller than n, the right one
 *   the rest; one leaf: its leaf hash; no leaf: SHA-256 of nothing.
 * The root is written in lowercase hex. scripts/verify-export.js computes the same.
 *
 * Built one leaf at a time with a stack of perfect subtrees (at most log2 n digests), so a
 * million heads stream through in flat memory.
 */
export class MerkleBuilder {
  private readonly stack: { size: number; digest: Buffer }[] = [];
  count = 0;

  add(head: { caseId: string; seq: number; hash: string }): void {
    let node = { size: 1, digest: leafHash(head) };
    this.count += 1;
    while (this.stack.length && this.stack[this.stack.length - 1].size === node.size) {
      const left = this.stack.pop()!;
      node = { size: left.size * 2, digest: nodeHash(left.digest, node.digest) };
    }
    this.stack.push(node);
  }

  root(): string {
    if (!this.stack.length) return createHash('sha256').digest('hex');
    let right = this.stack[this.stack.length - 1].digest;
    for (let i = this.stack.length - 2; i >= 0; i--) right = nodeHash(this.stack[i].digest, right);
    return right.toString('hex');
  }
}

export function leafHash(head: { caseId: string; seq: number; hash: string }): Buffer {
  return createHash('sha256')
    .update(Buffer.from([0]))
    .update(`${head.caseId}:${head.seq}:${head.hash}`, 'utf8')
    .digest();
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest();
}

/** The bytes a checkpoint's signature covers: its time, its count and its root, nothing else. */
export function checkpointMessage(checkpoint: { at: string; count: number; root: string }) {
  return Buffer.from(
    `redress-checkpoint:v1:${checkpoint.at}:${checkpoint.count}:${checkpoint.root}`,
    'utf8',
  );
}
