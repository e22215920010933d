#!/usr/bin/env node
// @ts-check
// `npm run verify-evidence`: checks every stored evidence file against its timeline entry
// (evidence.md "Storage"). For each uploaded evidence row, the `sha256` its EVIDENCE_ADDED entry
// holds (the hash the chain covers) must be the SHA-256 of the bytes the store has under that
// name. Reads DATABASE_URL and the store's settings as the app does (REDRESS_EVIDENCE_STORE,
// REDRESS_DATA_DIR, REDRESS_S3_*, AWS credentials), through the built app (`npm run build`).
// Prints one line per file that differs, is missing or has no entry, then a summary.
// Exit 0 when every file holds; 1 when one does not; 2 for bad usage or configuration.
'use strict';
require('reflect-metadata');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');

const DIST = path.resolve(__dirname, '..', 'dist', 'src');
/**
 * @param {string} module
 * @returns {unknown}
 */
const built = (module) => require(path.join(DIST, module));

/** Rows per round trip. */
const PAGE = 500;

/**
 * @typedef {object} Row
 * @property {string} id
 * @property {string} case_id
 * @property {string} created_at
 * @property {string | null} entry_sha256
 * @property {number | null} seq
 */

/**
 * @param {import('stream').Readable} stream
 * @returns {Promise<string>}
 */
async function hashOf(stream) {
  const hash = createHash('sha256');
  await new Promise((resolve, reject) => {
    stream.on('data', (/** @type {Buffer} */ chunk) => hash.update(chunk));
    stream.once('end', resolve);
    stream.once('error', reject);
  });
  return hash.digest('hex');
}

async function main() {
  if (!process.env.DATABASE_URL) {
    process.stderr.write('verify-evidence: set DATABASE_URL (and the evidence store settings)\n');
    return 2;
  }
  if (!fs.existsSync(DIST)) {
    process.stderr.write('verify-evidence: build the app first (npm run build)\n');
    return 2;
  }
  const { loadConfig, ConfigError } = /** @type {typeof import('../src/config/app-config')} */ (
    built('config/app-config')
  );
  const { createEvidenceStore } =
    /** @type {typeof import('../src/evidence/store/evidence-store.factory')} */ (
      built('evidence/store/evidence-store.factory')
    );
  const { MissingEvidenceFile } =
    /** @type {typeof import('../src/evidence/store/evidence-store')} */ (
      built('evidence/store/evidence-store')
    );
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`verify-evidence: configuration error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const store = createEvidenceStore(config);
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  /** @type {Map<string, string | null>} the hash of each stored file read so far (null: missing) */
  const read = new Map();
  let checked = 0;
  let bad = 0;
  try {
    /** @type {[string, string]} */
    let after = ['-infinity', '00000000-0000-0000-0000-000000000000'];
    for (;;) {
      const { rows } = /** @type {{ rows: Row[] }} */ (
        await db.query(
          `SELECT e.id, e.case_id, e.created_at::text AS created_at, t.seq,
             t.payload->>'sha256' AS entry_sha256
           FROM case_evidence e
           LEFT JOIN LATERAL (SELECT seq, payload FROM timeline_entries
             WHERE case_id = e.case_id AND type = 'EVIDENCE_ADDED' AND payload->>'evidenceId' = e.id::text
             LIMIT 1) t ON true
           WHERE e.content_type IS NOT NULL AND (e.created_at, e.id) > ($1::timestamptz, $2::uuid)
           ORDER BY e.created_at, e.id LIMIT ${PAGE}`,
          after,
        )
      );
      for (const row of rows) {
        checked += 1;
        const name = `evidence ${row.id} of case ${row.case_id}`;
        const expected = row.entry_sha256;
        if (!expected || !/^[0-9a-f]{64}$/.test(expected)) {
          bad += 1;
          process.stdout.write(`NO ENTRY ${name}: no EVIDENCE_ADDED entry with its sha256\n`);
          continue;
        }
        if (!read.has(expected)) {
          try {
            read.set(expected, await hashOf(await store.open(expected)));
          } catch (error) {
            if (!(error instanceof MissingEvidenceFile)) throw error;
            read.set(expected, null);
          }
        }
        const actual = read.get(expected);
        if (actual === null) {
          bad += 1;
          process.stdout.write(
            `MISSING ${name}: no stored file ${expected} (entry seq ${row.seq})\n`,
          );
        } else if (actual !== expected) {
          bad += 1;
          process.stdout.write(
            `MISMATCH ${name}: stored file ${expected} hashes to ${actual} (entry seq ${row.seq})\n`,
          );
        }
      }
      if (rows.length < PAGE) break;
      const last = rows[rows.length - 1];
      after = [last.created_at, last.id];
    }
  } finally {
    await db.end();
    const close = /** @type {{ onModuleDestroy?: () => void }} */ (store).onModuleDestroy;
    close?.call(store);
  }
  process.stdout.write(
    bad
      ? `BROKEN ${bad} of ${checked} evidence files do not hold\n`
      : `OK ${checked} evidence files, ${read.size} stored files, every one as its timeline entry says\n`,
  );
  return bad ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (/** @type {Error} */ error) => {
    process.stderr.write(`verify-evidence: ${error.message}\n`);
    process.exit(2);
  },
);
