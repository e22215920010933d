// @ts-check
'use strict';
const { summarizeProfile } = require('./profile');

/** @typedef {import('./results').CpuProfile} CpuProfile */

/**
 * root -> handler (the app) -> parse (a package), and V8's idle node; samples 1 ms apart.
 * @param {number[]} samples node ids
 * @returns {CpuProfile}
 */
function profileOf(samples) {
  /** @param {string} functionName @param {string} url @param {number} lineNumber */
  const frame = (functionName, url, lineNumber) => ({ functionName, url, lineNumber });
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)', '', -1), children: [2, 4] },
      {
        id: 2,
        callFrame: frame('handle', 'file:///app/dist/src/cases/case.service.js', 9),
        children: [3],
      },
      { id: 3, callFrame: frame('parse', 'file:///app/node_modules/@scope/pkg/lib/parse.js', 0) },
      { id: 4, callFrame: frame('(idle)', '', -1) },
    ],
    startTime: 0,
    samples,
    timeDeltas: samples.map(() => 1000),
  };
}

describe('summarizeProfile', () => {
  // 3 samples in parse, 1 in handle itself, 4 idle.
  const summary = summarizeProfile(profileOf([3, 3, 3, 2, 4, 4, 4, 4]), null);

  it('counts busy time against idle time', () => {
    expect(summary.busyPct).toBe(50);
    expect(summary.windowed).toBe(false);
  });

  it('gives self time by package and by frame, paths cut at the package or dist/src', () => {
    expect(summary.packages).toEqual([
      { name: '@scope/pkg', pct: 75 },
      { name: 'redress (dist/src)', pct: 25 },
    ]);
    expect(summary.frames).toEqual([
      { name: 'parse @scope/pkg/lib/parse.js:1', pct: 75 },
      { name: 'handle dist/src/cases/case.service.js:10', pct: 25 },
    ]);
  });

  it('gives inclusive time with the callers, generic frames left out', () => {
    expect(summary.inclusive).toEqual([
      { name: 'handle dist/src/cases/case.service.js:10', pct: 100 },
      { name: 'parse @scope/pkg/lib/parse.js:1', pct: 75 },
    ]);
  });

  it('keeps only the samples inside the window, or all of them when none falls inside', () => {
    // Sample times are 1000, 2000, ... µs: [3500, 4500] holds the 4th sample (in handle).
    const windowed = summarizeProfile(profileOf([3, 3, 3, 2, 4, 4, 4, 4]), [3500, 4500]);
    expect(windowed.windowed).toBe(true);
    expect(windowed.frames).toEqual([
      { name: 'handle dist/src/cases/case.service.js:10', pct: 100 },
    ]);
    const outside = summarizeProfile(profileOf([3, 2]), [10_000, 20_000]);
    expect(outside.windowed).toBe(false);
    expect(outside.busyPct).toBe(100);
  });
});
