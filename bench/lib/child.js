// @ts-check
// Child processes of the benchmarks: a command run to its end, and a load generator
// (bench/events-load.js, bench/reads-load.js) given its plan as a JSON file.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseJson } = require('./untyped');

const BENCH = path.resolve(__dirname, '..');

/**
 * Runs a command; resolves its output once it exits 0. `options.stdio` may let its stderr through
 * (`['ignore', 'pipe', 'inherit']`), so that a long child's log shows as it comes.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {Promise<{ stdout: string, stderr: string }>}
 */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr?.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${command} exited ${code}: ${stderr.slice(-2000)}`));
    });
  });
}

/**
 * Runs a load generator in its own process (so that it shares no event loop with its caller or
 * the app) on `plan`, written to a temporary file; the JSON object it printed last.
 * @param {'events-load.js' | 'reads-load.js' | 'tracking-load.js'} script
 * @param {object} plan
 */
async function runGenerator(script, plan) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redress-load-'));
  try {
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify(plan));
    const { stdout } = await run(process.execPath, [path.join(BENCH, script), file], {
      cwd: path.dirname(BENCH),
    });
    return parseJson(stdout.trim().split('\n').pop() ?? '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { run, runGenerator };
