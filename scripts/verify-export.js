#!/usr/bin/env node
// @ts-check
// Checks an audit export offline:
//   npm run verify-export -- [--partial] [--checkpoints heads.ndjson]... [--public-key key.pem] export.ndjson
//
// The input is NDJSON from GET /v1/audit/events (one TimelineEntry per line). Entries are grouped
// by caseId, in file order; for each case: `seq` runs 1, 2, 3... without gaps, each `prevHash` is
// the previous entry's `hash` (64 zeros before seq 1), and each `hash` is the hex SHA-256 of the
// RFC 8785 canonical JSON of exactly {caseId, seq, at, type, actor, fromState, toState, payload,
// prevHash} (api.md, TimelineEntry). An edited entry fails its hash, a removed one leaves a gap, a
// reordered pair breaks seq. An export filtered by time starts cases mid-chain: `--partial`
// accepts a first entry with seq > 1 (its prevHash cannot be checked then). Reads line by line and
// keeps one (seq, hash) per case, so a large export checks in flat memory.
// Within a case, `at` never goes back (each entry's `at` is at least the previous one's).
//
// Pages of an incremental export (`after=<cursor>`) can be concatenated: an entry that committed
// late comes after entries with later keys, but each case's entries stay in seq order.
//
// --checkpoints FILE (repeatable): FILE is `GET /v1/audit/checkpoints/:id/heads`, a first line
// {checkpoint: {id, at, root, count, signature}, publicKey} then one head {caseId, seq, hash} per
// line, in caseId order, recomputed by the server from the timeline as of the checkpoint. Checked:
// the Ed25519 signature over "redress-checkpoint:v1:<at>:<count>:<root>" (with --public-key, the
// key must be that one: pin it, since whoever controls the server controls the file), that the
// heads give the signed root (SHA-256 Merkle tree of RFC 6962: leaf = H(0x00 || "caseId:seq:hash"),
// node = H(0x01 || left || right)) and count; a chain rewritten in the database since, even with
// recomputed hashes, fails here. Then the export must hold every head with that very hash.
// Exit 0 with a summary; 1 naming the first broken entry or checkpoint; 2 for bad usage.
'use strict';
const { createHash, createPublicKey, verify } = require('node:crypto');
const fs = require('node:fs');
const readline = require('node:readline');

/**
 * @typedef {object} Entry A TimelineEntry as the export writes it (api.md).
 * @property {string} caseId
 * @property {number} seq
 * @property {string} at
 * @property {string} type
 * @property {unknown} actor
 * @property {string | null} fromState
 * @property {string | null} toState
 * @property {unknown} payload
 * @property {string} prevHash
 * @property {string} hash
 */

/**
 * RFC 8785 for JSON values: keys sorted by UTF-16 code units, no whitespace.
 * @param {unknown} value
 * @returns {string}
 */
function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const object = /** @type {Record<string, unknown>} */ (value);
  const keys = Object.keys(object)
    .filter((k) => object[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(object[k])}`).join(',')}}`;
}

/**
 * @param {string} text
 * @returns {unknown} checked field by field below
 */
const parse = (text) => JSON.parse(text);

/** @param {Entry} e */
function entryHash(e) {
  const { caseId, seq, at, type, actor, fromState, toState, payload, prevHash } = e;
  const hashed = { caseId, seq, at, type, actor, fromState, toState, payload, prevHash };
  return createHash('sha256').update(canonical(hashed), 'utf8').digest('hex');
}

/**
 * @typedef {{ caseId: string, seq: number, hash: string }} Head
 * @typedef {{ seq: number, hash: string, checkpoint: string, seen: boolean }} SignedHead
 * @typedef {{ id: string, at: string, root: string, count: number, signature: string }} Checkpoint
 * @typedef {{ checkpoint: Checkpoint, publicKey: string }} HeadsHeader
 */

/** @param {...Buffer} parts */
const sha = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

/** RFC 6962 tree hash, one leaf at a time (a stack of perfect subtrees). */
function merkle() {
  /** @type {{ size: number, digest: Buffer }[]} */
  const stack = [];
  let count = 0;
  return {
    /** @param {Head} h */
    add(h) {
      count += 1;
      let node = {
        size: 1,
        digest: sha(Buffer.from([0]), Buffer.from(`${h.caseId}:${h.seq}:${h.hash}`)),
      };
      while (stack.length && stack[stack.length - 1].size === node.size) {
        const left = /** @type {{ size: number, digest: Buffer }} */ (stack.pop());
        node = { size: left.size * 2, digest: sha(Buffer.from([1]), left.digest, node.digest) };
      }
      stack.push(node);
    },
    get count() {
      return count;
    },
    root() {
      if (!stack.length) return sha().toString('hex');
      let right = stack[stack.length - 1].digest;
      for (let i = stack.length - 2; i >= 0; i--)
        right = sha(Buffer.from([1]), stack[i].digest, right);
      return right.toString('hex');
    },
  };
}

/**
 * Reads one heads file; returns a problem, or adds its heads to `heads`.
 * @param {string} file
 * @param {string | null} pinned
 * @param {Map<string, SignedHead>} heads
 * @returns {Promise<string | null>}
 */
async function loadCheckpoint(file, pinned, heads) {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  /** @type {HeadsHeader | null} */
  let header = null;
  const tree = merkle();
  let previous = '';
  for await (const text of lines) {
    if (text.trim() === '') continue;
    if (!header) {
      header = /** @type {HeadsHeader} */ (parse(text));
      continue;
    }
    const value = /** @type {Head} */ (parse(text));
    if (value.caseId <= previous)
      return `${file}: heads are not in caseId order at ${value.caseId}`;
    previous = value.caseId;
    tree.add(value);
    heads.set(value.caseId, {
      seq: value.seq,
      hash: value.hash,
      checkpoint: header.checkpoint.id,
      seen: false,
    });
  }
  if (!header || !header.checkpoint) return `${file}: not a checkpoint heads file`;
  const c = header.checkpoint;
  const key = createPublicKey(pinned ?? header.publicKey);
  const message = Buffer.from(`redress-checkpoint:v1:${c.at}:${c.count}:${c.root}`, 'utf8');
  if (!verify(null, message, key, Buffer.from(c.signature, 'base64'))) {
    return `checkpoint ${c.id}: the signature does not verify${pinned ? ' with the pinned key' : ''}`;
  }
  if (tree.count !== c.count || tree.root() !== c.root) {
    return `checkpoint ${c.id} (${c.at}): the timeline's heads (${tree.count}) do not give its signed root (${c.count} heads): a chain was rewritten since it was signed`;
  }
  return null;
}

/**
 * @param {string[]} argv
 * @returns {Promise<number>} the exit code
 */
async function main(argv) {
  const partial = argv.includes('--partial');
  /** @type {string[]} */
  const checkpointFiles = [];
  /** @type {string | null} */
  let pinned = null;
  /** @type {string[]} */
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--partial') continue;
    else if (argv[i] === '--checkpoints' && argv[i + 1]) checkpointFiles.push(argv[++i]);
    else if (argv[i] === '--public-key' && argv[i + 1]) pinned = fs.readFileSync(argv[++i], 'utf8');
    else files.push(argv[i]);
  }
  if (files.length !== 1) {
    process.stderr.write(
      'usage: verify-export [--partial] [--checkpoints heads.ndjson]... [--public-key key.pem] <export.ndjson | ->\n',
    );
    return 2;
  }
  /** @type {Map<string, SignedHead>} */
  const checkpointHeads = new Map();
  for (const file of checkpointFiles) {
    const problem = await loadCheckpoint(file, pinned, checkpointHeads);
    if (problem) {
      process.stdout.write(`BROKEN ${problem}\n`);
      return 1;
    }
  }
  const input = files[0] === '-' ? process.stdin : fs.createReadStream(files[0]);
  /** @type {Map<string, { seq: number, hash: string, at: string }>} */
  const heads = new Map();
  let line = 0;
  let entries = 0;
  /**
   * @param {Entry} e
   * @param {string} problem
   */
  const broken = (e, problem) => {
    process.stdout.write(`BROKEN line ${line}: case ${e.caseId} seq ${e.seq}: ${problem}\n`);
    return 1;
  };
  for await (const text of readline.createInterface({ input, crlfDelay: Infinity })) {
    line += 1;
    if (text.trim() === '') continue;
    /** @type {Entry} */
    let e;
    try {
      e = /** @type {Entry} */ (parse(text));
    } catch {
      process.stdout.write(`BROKEN line ${line}: not JSON\n`);
      return 1;
    }
    entries += 1;
    const head = heads.get(e.caseId);
    if (!head && e.seq !== 1 && !(partial && Number.isInteger(e.seq) && e.seq > 1)) {
      return broken(
        e,
        `the case's first entry has seq ${e.seq}, expected 1 (--partial allows more)`,
      );
    }
    if (head && e.seq !== head.seq + 1) return broken(e, `expected seq ${head.seq + 1}`);
    const expectedPrev = head ? head.hash : e.seq === 1 ? '0'.repeat(64) : e.prevHash;
    if (e.prevHash !== expectedPrev) return broken(e, "prevHash is not the previous entry's hash");
    if (entryHash(e) !== e.hash) return broken(e, 'hash does not match the entry (edited?)');
    if (head && e.at < head.at) return broken(e, `at ${e.at} goes back before ${head.at}`);
    const signed = checkpointHeads.get(e.caseId);
    if (signed && signed.seq === e.seq) {
      if (signed.hash !== e.hash) {
        return broken(e, `hash differs from the head signed in checkpoint ${signed.checkpoint}`);
      }
      signed.seen = true;
    }
    heads.set(e.caseId, { seq: e.seq, hash: e.hash, at: e.at });
  }
  if (!partial) {
    for (const [caseId, signed] of checkpointHeads) {
      if (!signed.seen) {
        process.stdout.write(
          `BROKEN case ${caseId} seq ${signed.seq}: head of checkpoint ${signed.checkpoint} is not in the export\n`,
        );
        return 1;
      }
    }
  }
  const signedNote = checkpointFiles.length
    ? `, ${checkpointHeads.size} heads of ${checkpointFiles.length} signed checkpoint(s) matched`
    : '';
  process.stdout.write(
    `OK ${entries} entries, ${heads.size} cases, every chain intact${signedNote}\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (/** @type {Error} */ error) => {
    process.stderr.write(`verify-export: ${error.message}\n`);
    process.exit(2);
  },
);
