// @ts-check
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const tables = require('./tables');

/**
 * @typedef {import('./results').BenchResults} BenchResults
 * @typedef {import('./results').EventsRun} EventsRun
 */

const INFO = {
  cores: 2,
  cpu: 'Test CPU',
  memoryGiB: 8,
  node: 'v20.0.0',
  postgres: 'PostgreSQL 15.0',
  pgbench: 'pgbench 15.0',
  os: 'Linux 6',
};
const SHAPE = { runs: 2, duration: 5, cases: 1000, connections: 16 };

/**
 * An events run with the figures that matter here.
 * @param {number} eventsPerSec
 * @param {number} non2xx
 * @param {boolean} cpu
 * @returns {EventsRun}
 */
function eventsRun(eventsPerSec, non2xx, cpu) {
  const account = {
    appMsPerUnit: 1.25,
    appSystemShare: 0.1,
    postgresMsPerUnit: 0.5,
    otherMsPerUnit: 0.75,
    idleShare: 0.02,
  };
  return {
    cases: 1000,
    seedCasesPerSec: 250,
    connections: 16,
    durationSec: 5,
    http: {
      eventsPerSec,
      acceptedPerSec: eventsPerSec,
      latencyMs: { p50: 20, p90: 40, p99: 80, max: 100, mean: 25 },
      requests: eventsPerSec * 5,
      non2xx,
      errors: 0,
      timeouts: 0,
      statuses: {},
      refusals: {},
      sent: {},
      accepted: { OPEN: 10 },
      transitions: 40,
      durationSec: 5,
      ...(cpu ? { cpu: account } : {}),
    },
    pgbench: { tps: 2000, latencyAvgMs: 8, transactions: 10000, failed: 0 },
    pgbenchLocked: { tps: 1600, latencyAvgMs: 10, transactions: 8000, failed: 0 },
    ratio: eventsPerSec / 2000,
    ratioToLocked: eventsPerSec / 1600,
  };
}

/** @returns {BenchResults} */
function mainResults(cpu = true) {
  return {
    startedAt: new Date('2026-12-06T12:54:02.278Z'),
    info: INFO,
    seconds: 56.6,
    wf: [1, 2].map((i) => ({
      claimFlowTransitionsPerSec: 40000 * i,
      xstateTransitionPerSec: 10000 * i,
      roundsPerSec: 30000 * i,
      roundsOnObjectsPerSec: 50000 * i,
      openCasePerSec: 35000 * i,
    })),
    ev: [eventsRun(500, 3, cpu), eventsRun(600, 0, cpu)],
    rt: {
      NOTE: { roundTrips: 2, statements: 2, detail: [{ sql: 'SELECT `x`', perRequest: 1 }] },
    },
  };
}

/**
 * The table row of a figure.
 * @param {string} text
 * @param {string} figure
 */
const rowOf = (text, figure) => text.split('\n').find((l) => l.includes(`| ${figure} |`));

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones, of the numbers only', () => {
    expect(tables.median([3, 1, 2])).toBe(2);
    expect(tables.median([4, 1, 2, 3])).toBe(2.5);
    expect(tables.median([NaN, 5, undefined, 'x'])).toBe(5);
    expect(tables.median([])).toBeNaN();
  });
});

describe('render', () => {
  const text = tables.render(mainResults(), SHAPE);

  it('is one block between the results markers, stating how it was measured', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe(tables.MARKERS.results.begin);
    expect(lines[lines.length - 1]).toBe(tables.MARKERS.results.end);
    expect(text).toContain(
      'Measured 2026-12-06 12:54 UTC with `npm run bench` (2 runs, 5 s each, 1,000 cases seeded ' +
        'per run, 16 connections; the whole bench took 57 s).',
    );
    expect(text).toContain('Machine: 2 cores (Test CPU), 8 GiB, Linux 6; Node v20.0.0;');
  });

  it('shows the median in bold, every run, and the target', () => {
    expect(rowOf(text, 'restore-apply-persist rounds/s (1 core)')).toBe(
      '| workflows | restore-apply-persist rounds/s (1 core) | **45,000** | 30,000 / 60,000 | >= 20,000 |',
    );
    expect(rowOf(text, 'HTTP events/s (mixed, 2xx and not)')).toBe(
      '| events | HTTP events/s (mixed, 2xx and not) | **550** | 500 / 600 |  |',
    );
    expect(rowOf(text, 'latency p99 (ms)')).toBe(
      '| events | latency p99 (ms) | **80.0** | 80.0 / 80.0 | < 50 ms |',
    );
  });

  it('puts the non-2xx counts of the runs in the requests row', () => {
    expect(rowOf(text, 'requests / non-2xx')).toBe(
      '| events | requests / non-2xx | **2,750** | 2,500 / 3,000 | non-2xx: 3 / 0 |',
    );
  });

  it('shows ratios as percentages', () => {
    expect(rowOf(text, '**HTTP events/s ÷ pgbench tps** (per run)')).toBe(
      '| events | **HTTP events/s ÷ pgbench tps** (per run) | **27.5%** | 25.0% / 30.0% | >= 40% |',
    );
  });

  it('shows the CPU rows only for runs that measured CPU', () => {
    expect(rowOf(text, 'CPU ms per HTTP event: the app')).toBe(
      '| events | CPU ms per HTTP event: the app | **1.250** | 1.250 / 1.250 |  |',
    );
    const older = tables.render(mainResults(false), SHAPE);
    expect(older).not.toContain('CPU ms per');
    expect(rowOf(older, 'seeding: cases opened/s through the API')).toBeDefined();
  });

  it('lists the round trips and the statements, backquotes made safe', () => {
    expect(text).toContain('| NOTE | 2 | 2 |');
    expect(text).toContain("- 1 × `SELECT 'x'`");
  });
});

describe('renderTimers', () => {
  /** @param {number} instances @param {number} rate */
  const scheduler = (instances, rate) => ({
    instances,
    timers: 2000,
    left: 0,
    fired: 2000,
    breached: 2000,
    entries: { TIMER_FIRED: 2000, SLA_BREACHED: 2000 },
    seconds: 2,
    timersPerSec: rate,
    timedOut: false,
    runsPerSec: [rate],
  });
  const text = tables.renderTimers({
    startedAt: new Date('2026-12-06T12:54:59Z'),
    info: INFO,
    tm: {
      timers: 2000,
      templates: 500,
      runs: 1,
      seedCasesPerSec: 100,
      liveTimersPerTemplate: { supplier_response: 500 },
      one: scheduler(1, 1000),
      two: scheduler(2, 1500),
      raw: {
        connections: 4,
        timers: 2000,
        claimed: 2000,
        seconds: 0.2,
        claimsPerSec: 10000,
        runsPerSec: [10000],
      },
    },
  });

  it('is one block between the timers markers, with a row per measurement and the ratios', () => {
    expect(text.startsWith(tables.MARKERS.timers.begin)).toBe(true);
    expect(text.endsWith(tables.MARKERS.timers.end)).toBe(true);
    expect(text).toContain('(one run; 2,000 due `supplier_response` timers per measurement');
    expect(text).toContain(
      '| scheduler, 1 instance (4 claim loops) | 2,000 | 2,000 (2,000) | 4,000 | 2.0 | ' +
        '**1,000 timers/s** | 1,000 | >= 1,000/s |',
    );
    expect(text).toContain('2 instances ÷ 1: **1.50x**; 1 instance ÷ raw claims: **10.0%**.');
  });
});

describe('renderGrowthTable', () => {
  it('writes sizes in MiB or GiB and says whether the cost per event stayed flat', () => {
    const level = {
      target: 1000,
      cases: 1000,
      timelineEntries: 2000,
      liveTimers: 1000,
      dbSizeBytes: 3 * 2 ** 30,
      vacuumSeconds: 1,
      checkpointSeconds: 1,
      clone: null,
      notes: 50,
      fresh: 50,
      events: {
        perSec: 900,
        latencyMs: { p50: 10, p90: 20, p99: 30, max: 40, mean: 12 },
        requests: 1800,
        non2xx: 0,
        errors: 0,
        timeouts: 0,
        acceptedPerSec: 900,
        transitions: 10,
        statuses: {},
        refusals: {},
      },
      reads: {
        case: {
          perSec: 1,
          latencyMs: { p50: 1, p90: 1, p99: 5, max: 1, mean: 1 },
          requests: 1,
          non2xx: 0,
          errors: 0,
          timeouts: 0,
        },
        timeline: {
          perSec: 1,
          latencyMs: { p50: 1, p90: 1, p99: 6, max: 1, mean: 1 },
          requests: 1,
          non2xx: 0,
          errors: 0,
          timeouts: 0,
        },
      },
      rssMiB: 120,
    };
    const exported = {
      entries: 2000,
      bytes: 1,
      seconds: 1,
      firstByteSec: 0.01,
      entriesPerSec: 2000,
      mibPerSec: 1,
      rssBeforeMiB: 100,
      rssPeakMiB: 150,
      rssAfterMiB: 110,
    };
    const text = tables.renderGrowthTable({
      startedAt: '',
      seconds: 1,
      database: 'x',
      durationSec: 2,
      connections: 16,
      templates: { cases: 100, entries: 100, seedSeconds: 1 },
      levels: [level, { ...level, cases: 2000, dbSizeBytes: 512 * 2 ** 20 }],
      costPerEvent: {
        smallestCases: 1000,
        largestCases: 2000,
        ratio: 0.75,
        target: '>= 80%',
        met: false,
      },
      export: { ...exported, cases: 2000, expectedEntries: 2000 },
      machine: { cores: 2, cpu: 'x', memoryGiB: 8, node: 'v20' },
    });
    expect(text).toContain(
      '| 1,000 | 2,000 | 3.00 GiB | **900** | 900 | 10.0 | 30.0 | 0 | 5.0 | 6.0 | 120 |',
    );
    expect(text).toContain('| 2,000 | 2,000 | 512 MiB |');
    expect(text).toContain('= **75.0%**');
    expect(text).toContain('target: flat within 20%, i.e. >= 80%: **not met**');
    expect(text).not.toContain('--max-old-space-size');
  });
});

describe('renderBlocks', () => {
  it('leaves the main block alone for an --only run or results without its figures', () => {
    const results = mainResults();
    expect(tables.renderBlocks(results, { ...SHAPE, only: null }).results).not.toBe('');
    expect(tables.renderBlocks(results, { ...SHAPE, only: 'timers' }).results).toBe('');
    const timersOnly = { startedAt: results.startedAt, info: INFO };
    expect(tables.renderBlocks(timersOnly, { ...SHAPE, only: null })).toEqual({
      results: '',
      timers: '',
      growth: '',
      evidence: '',
    });
  });
});

describe('renderEvidence', () => {
  it('shows uploads per second beside the disk and the packet times, medians first', () => {
    const upload = (/** @type {number} */ perSec) => ({
      perSec,
      mibPerSec: perSec * 2,
      p50: 300,
      p99: 900,
      non2xx: 0,
      errors: 0,
    });
    const block = tables.renderEvidence({
      startedAt: new Date('2026-12-06T16:00:00Z'),
      info: INFO,
      evd: {
        photoBytes: 2 * 2 ** 20,
        connections: 8,
        durationSec: 15,
        uploads: [upload(10), upload(12), upload(11)],
        uploadsPerSec: 11,
        photos: 20,
        packet: {
          pdf: { ms: [900, 1100, 1000], bytes: 5 * 2 ** 20 },
          zip: { ms: [300, 200, 250], bytes: 40 * 2 ** 20 },
        },
        disk: { mbPerSec: 512, line: '536870912 bytes copied, 1.05 s, 512 MB/s' },
      },
    });
    expect(block.startsWith(tables.MARKERS.evidence.begin)).toBe(true);
    expect(block).toContain('**11.0 uploads/s** (22.0 MiB/s; p50 300 ms, p99 900 ms; non-2xx 0)');
    expect(block).toContain('10.0 / 12.0 / 11.0');
    expect(block).toContain('disk write **512 MB/s**');
    expect(block).toContain('| packet of a case with 20 photos, PDF (5 MiB) | **1.00 s** |');
    expect(block).toContain('| packet of a case with 20 photos, ZIP (40 MiB) | **0.25 s** |');
  });
});

describe('writeMarkdown', () => {
  const block = (/** @type {string} */ body) =>
    [tables.MARKERS.timers.begin, body, tables.MARKERS.timers.end].join('\n');

  it('replaces only the text between a block’s markers, and appends a block that has none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tables-'));
    try {
      const file = path.join(dir, 'BENCHMARKS.md');
      fs.writeFileSync(file, `# Benchmarks\n\nbefore\n\n${block('old')}\n\nafter\n`);
      tables.writeMarkdown(file, { results: 'RESULTS', timers: block('new'), growth: '' });
      expect(fs.readFileSync(file, 'utf8')).toBe(
        `# Benchmarks\n\nbefore\n\n${block('new')}\n\nafter\n\nRESULTS\n`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
