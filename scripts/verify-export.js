#!/usr/bin/env node
// @ts-check
// Checks an audit export offline: `npm run verify-export -- [--partial] export.ndjson`.
//
// The input is NDJSON from GET /v1/audit/events (one TimelineEntry per line). Entries are grouped
// by caseId, in file order; for each case: `seq` runs 1, 2, 3... without gaps, each `prevHash` is
// the previous entry's `hash` (64 zeros before seq 1), and each `hash` is the hex SHA-256 of the
// RFC 8785 canonical JSON of exactly {caseId, seq, at, type, actor, fromState, toState, payload,
// prevHash} (api.md, TimelineEntry). An edited entry fails its hash, a removed one leaves a gap, a
// reordered pair breaks seq. An export filtered by time starts cases mid-chain: `--partial`
// accepts a first entry with seq > 1 (its prevHash cannot be checked then). Reads line by line and
// keeps one (seq, hash) per case, so a large export checks in flat memory.
// Exit 0 with a summary; 1 naming the first broken entry; 2 for bad usage.
'use strict';
const { createHash } = require('node:crypto');
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
 * @param {string[]} argv
 * @returns {Promise<number>} the exit code
 */
async function main(argv) {
  const partial = argv.includes('--partial');
  const files = argv.filter((a) => a !== '--partial');
  if (files.length !== 1) {
    process.stderr.write('usage: verify-export [--partial] <export.ndjson | ->\n');
    return 2;
  }
  const input = files[0] === '-' ? process.stdin : fs.createReadStream(files[0]);
  /** @type {Map<string, { seq: number, hash: string }>} */
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
    heads.set(e.caseId, { seq: e.seq, hash: e.hash });
  }
  process.stdout.write(`OK ${entries} entries, ${heads.size} cases, every chain intact\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (/** @type {Error} */ error) => {
    process.stderr.write(`verify-export: ${error.message}\n`);
    process.exit(2);
  },
);
