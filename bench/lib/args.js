// @ts-check
// Command-line and environment options of the benchmarks: pure functions of argv and env, so that
// scripts/bench.js, bench/growth.bench.js and their tests read options the same way.
'use strict';

/** Cases in total at each step of the growth bench (bench/growth.bench.js). */
const DEFAULT_LEVELS = [10000, 100000, 1000000];

/**
 * The value of `--name=value` in `argv` (the first one), or undefined.
 * @param {readonly string[]} argv
 * @param {string} name
 * @returns {string | undefined}
 */
function option(argv, name) {
  return argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
}

/**
 * `--name=N` as a number, or `fallback` when absent.
 * @param {readonly string[]} argv
 * @param {string} name
 * @param {number} fallback
 */
function numberOption(argv, name, fallback) {
  const value = option(argv, name);
  return value === undefined ? fallback : Number(value);
}

/**
 * An environment variable, or `fallback` when unset or empty.
 * @template {string | number | null} T
 * @param {string} name
 * @param {T} fallback
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string | T}
 */
function envOr(name, fallback, env = process.env) {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

/**
 * @typedef {object} BenchOptions The options of `npm run bench` (scripts/bench.js).
 * @property {number} runs runs of each measurement (the median is shown)
 * @property {number} duration seconds of each load
 * @property {number} cases cases seeded per events run
 * @property {number} connections autocannon connections and pgbench clients
 * @property {number} timers due timers per timers measurement; 0 skips it
 * @property {number[]} growth cases in total at each growth level; empty skips the growth bench
 * @property {'timers' | 'growth' | 'tracking' | 'evidence' | null} only
 *   `--only=timers|growth|tracking|evidence`: that bench alone (tracking and evidence run only so:
 *   the default run is unchanged)
 * @property {boolean} profile the CPU profile of the app (`--no-profile` skips it)
 * @property {boolean} write the tables written into BENCHMARKS.md (`--no-write` prints only)
 * @property {string | null} fromJson `--from-json=FILE`: re-render a previous run's JSON line
 */

/**
 * @param {readonly string[]} argv the arguments after the script's name
 * @returns {BenchOptions}
 */
function parseBenchArgs(argv) {
  const growth = argv.find((a) => a.startsWith('--growth='));
  const replay = argv.find((a) => a.startsWith('--from-json='));
  return {
    runs: numberOption(argv, 'runs', 3),
    duration: numberOption(argv, 'duration', 15),
    cases: numberOption(argv, 'cases', 10000),
    connections: numberOption(argv, 'connections', 16),
    timers: numberOption(argv, 'timers', 100000),
    growth: growth
      ? growth
          .slice('--growth='.length)
          .split(',')
          .map(Number)
          .filter((n) => n > 0)
      : DEFAULT_LEVELS,
    only: argv.includes('--only=timers')
      ? 'timers'
      : argv.includes('--only=growth')
        ? 'growth'
        : argv.includes('--only=tracking')
          ? 'tracking'
          : argv.includes('--only=evidence')
            ? 'evidence'
            : null,
    profile: !argv.includes('--no-profile'),
    write: !argv.includes('--no-write'),
    fromJson: replay ? replay.slice('--from-json='.length) : null,
  };
}

/**
 * @typedef {object} GrowthOptions The options of bench/growth.bench.js.
 * @property {number[]} levels cases in total at each step
 * @property {number} duration seconds of each load
 * @property {number} connections
 * @property {number} templates out_of_stock cases opened through the API, then copied by SQL
 * @property {number} notes NOTE targets drawn at random per events run
 * @property {number} fresh fresh cases for real transitions per events run
 * @property {number} reads random cases the read loads pick from
 * @property {number} runs events runs per level
 */

/**
 * @param {readonly string[]} argv
 * @returns {GrowthOptions}
 */
function parseGrowthArgs(argv) {
  const levels = option(argv, 'levels');
  return {
    levels: levels ? levels.split(',').map(Number) : DEFAULT_LEVELS,
    duration: numberOption(argv, 'duration', 10),
    connections: numberOption(argv, 'connections', 16),
    templates: numberOption(argv, 'templates', 500),
    notes: numberOption(argv, 'notes', 1000),
    fresh: numberOption(argv, 'fresh', 2000),
    reads: numberOption(argv, 'reads', 10000),
    runs: numberOption(argv, 'runs', 3),
  };
}

module.exports = { DEFAULT_LEVELS, envOr, option, parseBenchArgs, parseGrowthArgs };
