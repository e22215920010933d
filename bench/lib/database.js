// @ts-check
// The databases of a bench run: each bench makes a fresh database of its own on the local
// PostgreSQL (the admin URL, TEST_DATABASE_URL) and drops it at the end, also on failure; the app
// under test is the built one (dist/), built first if missing.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
/** The bootstrap ops key every bench app starts with (REDRESS_BOOTSTRAP_OPS_KEY). */
const BENCH_OPS_KEY = 'rk_bench_bootstrap_ops_key_0123456789abcdef0123';

/**
 * The same server's URL, with database `name`.
 * @param {string} url
 * @param {string} name
 */
function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Creates `<prefix>_<now>` through the admin connection; returns its name and URL.
 * @param {import('pg').Client} admin
 * @param {string} adminUrl
 * @param {string} prefix
 */
async function createDatabase(admin, adminUrl, prefix) {
  const name = `${prefix}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  return { name, url: withDatabase(adminUrl, name) };
}

/**
 * Drops a bench database, its connections closed; a failure is logged, never thrown (it runs in
 * `finally` blocks, where it must not hide the error that got there).
 * @param {import('pg').Client} admin
 * @param {string} name
 * @param {(message: string) => void} log
 */
async function dropDatabase(admin, name, log) {
  await admin
    .query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    .catch((/** @type {Error} */ e) => log(`drop database: ${e.message}`));
}

/**
 * Builds the app (`npm run build`, its output on stderr) when dist/src/main.js is missing.
 * @param {(message: string) => void} log
 */
function ensureBuilt(log) {
  if (fs.existsSync(path.join(ROOT, 'dist/src/main.js'))) return;
  log('dist/ missing: npm run build');
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) throw new Error(`npm run build exited ${build.status}`);
}

/** The machine the figures were measured on. */
function machineInfo() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model?.trim() ?? '?',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

module.exports = {
  BENCH_OPS_KEY,
  DEFAULT_ADMIN_URL,
  ROOT,
  createDatabase,
  dropDatabase,
  ensureBuilt,
  machineInfo,
  withDatabase,
};
