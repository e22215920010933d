// @ts-check
// The summary of a V8 CPU profile (`node --cpu-prof`) that BENCHMARKS.md shows: self time by
// frame and by package, inclusive time by frame, and how busy the main thread was.
'use strict';
const fs = require('node:fs');
const { parseJson } = require('./untyped');

/**
 * @typedef {import('./results').CallFrame} CallFrame
 * @typedef {import('./results').CpuProfile} CpuProfile
 * @typedef {import('./results').Share} Share
 * @typedef {import('./results').ProfileSummary} ProfileSummary
 */

/** Generic frames left out of the inclusive list (they hold everything). */
const GENERIC =
  /^\((root|idle|program)\)|^(processTicksAndRejections|runMicrotasks|emit|callbackTrampoline|listOnTimeout|processTimers) /;
const NODE_MODULES = 'node_modules/';
const DIST = '/dist/src/';

/**
 * Where a frame's code lives: its package (a node_modules package, the app, node core, V8) and its
 * path, shortened to start at the package or at dist/src.
 * @param {CallFrame} frame
 */
function locate(frame) {
  const url = frame.url || '';
  const nm = url.lastIndexOf(NODE_MODULES);
  if (nm >= 0) {
    const rest = url.slice(nm + NODE_MODULES.length).split('/');
    const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    return { pkg, where: `${pkg}/${rest.slice(rest[0].startsWith('@') ? 2 : 1).join('/')}` };
  }
  if (url.includes(DIST))
    return { pkg: 'redress (dist/src)', where: url.slice(url.indexOf(DIST) + 1) };
  if (url.startsWith('node:')) return { pkg: 'node core', where: url };
  if (!url) {
    return {
      pkg: frame.functionName.startsWith('(') ? frame.functionName : 'native / V8',
      where: url,
    };
  }
  return { pkg: 'other', where: url };
}

/**
 * A frame's name in the tables: function, path and line.
 * @param {CallFrame} frame
 */
function label(frame) {
  const url = frame.url || '';
  return `${frame.functionName || '(anonymous)'} ${locate(frame).where}${url ? `:${frame.lineNumber + 1}` : ''}`;
}

/**
 * Self time by frame and by package, and inclusive time by frame; only the samples inside `window`
 * ([from, to] in µs of the monotonic clock, which V8's profile timestamps share on Linux), so that
 * start-up and shutdown are left out. With no sample in the window, all of them.
 * @param {CpuProfile} profile
 * @param {[number, number] | null} window
 * @returns {ProfileSummary}
 */
function summarizeProfile(profile, window) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  /** @param {number} id */
  const frameOf = (id) => {
    const node = byId.get(id);
    if (!node) throw new Error(`profile: no node ${id}`);
    return node.callFrame;
  };
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  let at = profile.startTime;
  /** @param {number} t */
  const inWindow = (t) => !window || (t >= window[0] && t <= window[1]);
  /** @type {Map<number, number>} µs of self time by node id */
  const self = new Map();
  let kept = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] || 0;
    if (!inWindow(at)) continue;
    kept += 1;
    const id = profile.samples[i];
    self.set(id, (self.get(id) || 0) + (profile.timeDeltas[i] || 0));
  }
  if (kept === 0 && window) return summarizeProfile(profile, null);
  /** @type {Map<string, number>} */
  const inclusive = new Map();
  /** @type {Map<string, number>} */
  const frames = new Map();
  /** @type {Map<string, number>} */
  const packages = new Map();
  let busy = 0;
  let idle = 0;
  for (const [id, micros] of self) {
    const frame = frameOf(id);
    if (frame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    busy += micros;
    /** @type {Set<string>} */
    const seen = new Set();
    for (let n = /** @type {number | undefined} */ (id); n !== undefined; n = parent.get(n)) {
      seen.add(label(frameOf(n)));
    }
    for (const k of seen) inclusive.set(k, (inclusive.get(k) || 0) + micros);
    const key = label(frame);
    frames.set(key, (frames.get(key) || 0) + micros);
    const { pkg } = locate(frame);
    packages.set(pkg, (packages.get(pkg) || 0) + micros);
  }
  /**
   * @param {Map<string, number>} map
   * @param {number} n
   * @returns {Share[]}
   */
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, micros]) => ({ name, pct: Math.round((micros / busy) * 1000) / 10 }));
  return {
    windowed: Boolean(window) && kept > 0,
    busyPct: Math.round((busy / (busy + idle)) * 1000) / 10,
    frames: top(frames, 15),
    packages: top(packages, 12),
    inclusive: top(new Map([...inclusive].filter(([k]) => !GENERIC.test(k))), 25),
  };
}

/**
 * {@link summarizeProfile} of a .cpuprofile file.
 * @param {string} file
 * @param {[number, number] | null} window
 */
function summarizeProfileFile(file, window) {
  return summarizeProfile(
    /** @type {CpuProfile} */ (parseJson(fs.readFileSync(file, 'utf8'))),
    window,
  );
}

module.exports = { summarizeProfile, summarizeProfileFile };
