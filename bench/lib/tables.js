// @ts-check
// The markdown of BENCHMARKS.md's generated parts, from a run's results (pure, but for
// writeMarkdown): the main table (workflows, events, round trips, CPU profile), the timers table
// the growth table and the evidence table, each between markers of its own so that
// `--only=timers|growth|evidence` rewrites one alone.
'use strict';
const fs = require('node:fs');

/**
 * @typedef {import('./results').BenchResults} BenchResults
 * @typedef {import('./results').GrowthResult} GrowthResult
 * @typedef {import('./results').EventsRun} EventsRun
 * @typedef {import('./results').CpuAccount} CpuAccount
 * @typedef {(value: number) => string} Format
 * @typedef {{ runs: number, duration: number, cases: number, connections: number }} RunShape
 *   the options the main table's heading states
 */

const MARKERS = {
  results: {
    begin: '<!-- bench:results:begin (written by `npm run bench`; edits inside are lost) -->',
    end: '<!-- bench:results:end -->',
  },
  timers: {
    begin: '<!-- bench:timers:begin (written by `npm run bench`; edits inside are lost) -->',
    end: '<!-- bench:timers:end -->',
  },
  growth: {
    begin: '<!-- bench:growth:begin (written by `npm run bench`; edits inside are lost) -->',
    end: '<!-- bench:growth:end -->',
  },
  evidence: {
    begin: '<!-- bench:evidence:begin (written by `npm run bench`; edits inside are lost) -->',
    end: '<!-- bench:evidence:end -->',
  },
};

/** Events/s at the largest growth level ÷ at the smallest must stay at or above 1 - this. */
const FLAT_WITHIN = 0.2;

/**
 * The median of the numbers among `values` (NaN and non-numbers left out); NaN if none.
 * @param {readonly unknown[]} values
 */
function median(values) {
  const sorted = /** @type {number[]} */ (
    values.filter((v) => typeof v === 'number' && !Number.isNaN(v))
  ).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * A number with thousands separators and `digits` decimals; anything else as it is.
 * @param {unknown} v
 * @param {number} [digits]
 */
const fmt = (v, digits = 0) =>
  typeof v === 'number' && Number.isFinite(v)
    ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : String(v);
/** @param {unknown} v a share (0.25: 25.0%) */
const pctOf = (v) => (typeof v === 'number' ? `${fmt(v * 100, 1)}%` : String(v));
/** @param {number} v */
const ms1 = (v) => fmt(v, 1);
/** @param {number} v */
const ms3 = (v) => fmt(v, 3);
/** @param {Date} at */
const minute = (at) => at.toISOString().replace('T', ' ').slice(0, 16);
/** @param {number} bytes */
const size = (bytes) =>
  bytes >= 2 ** 30 ? `${fmt(bytes / 2 ** 30, 2)} GiB` : `${fmt(bytes / 2 ** 20, 0)} MiB`;

/**
 * The rows of the main table for the events runs: [figure, a run's value, format, target].
 * @param {EventsRun[]} ev
 * @returns {[string, (r: EventsRun) => number, Format, string?][]}
 */
function eventRows(ev) {
  /** @type {[string, (r: EventsRun) => number, Format, string?][]} */
  const rows = [
    ['HTTP events/s (mixed, 2xx and not)', (r) => r.http.eventsPerSec, fmt],
    ['latency p50 (ms)', (r) => r.http.latencyMs.p50, ms1],
    ['latency p99 (ms)', (r) => r.http.latencyMs.p99, ms1, '< 50 ms'],
    [
      'requests / non-2xx',
      (r) => r.http.requests,
      fmt,
      `non-2xx: ${ev.map((r) => r.http.non2xx).join(' / ')}`,
    ],
    ['real transitions accepted (REQUEST_REFUND, REFUNDED)', (r) => r.http.transitions, fmt],
    ['cases opened during the load (every 20th request)', (r) => r.http.accepted.OPEN ?? 0, fmt],
    ['pgbench tps, the 2 statements of a NOTE', (r) => r.pgbench.tps, fmt],
    ['**HTTP events/s ÷ pgbench tps** (per run)', (r) => r.ratio, pctOf, '>= 40%'],
    ['pgbench tps, the same NOTE the locked way (5 statements)', (r) => r.pgbenchLocked.tps, fmt],
    ['HTTP events/s ÷ pgbench (locked way)', (r) => r.ratioToLocked, pctOf],
  ];
  // CPU per request from /proc (bench/cpu-account.js); a --from-json of an older run has none.
  if (ev.some((r) => r.http.cpu)) {
    /** @type {[string, 'http' | 'pgbench', keyof CpuAccount, Format][]} */
    const cpuRows = [
      ['CPU ms per HTTP event: the app', 'http', 'appMsPerUnit', ms3],
      ["the app's CPU spent in the kernel (share)", 'http', 'appSystemShare', pctOf],
      ['CPU ms per HTTP event: PostgreSQL', 'http', 'postgresMsPerUnit', ms3],
      ['CPU ms per HTTP event: autocannon and the rest', 'http', 'otherMsPerUnit', ms3],
      ['machine idle during the HTTP load', 'http', 'idleShare', pctOf],
      ['CPU ms per pgbench transaction: PostgreSQL', 'pgbench', 'postgresMsPerUnit', ms3],
      ['CPU ms per pgbench transaction: pgbench and the rest', 'pgbench', 'otherMsPerUnit', ms3],
      ['machine idle during pgbench', 'pgbench', 'idleShare', pctOf],
    ];
    for (const [figure, side, key, format] of cpuRows) {
      rows.push([figure, (r) => r[side].cpu?.[key] ?? NaN, format]);
    }
  }
  rows.push(['seeding: cases opened/s through the API', (r) => r.seedCasesPerSec, fmt]);
  return rows;
}

/** @type {[string, (r: import('./results').WorkflowsRun) => number, string?][]} */
const WORKFLOW_ROWS = [
  ['claim-flow transitions/s (pure, 1 core)', (r) => r.claimFlowTransitionsPerSec],
  ['xstate `transition()`/s (1 core)', (r) => r.xstateTransitionPerSec],
  ['restore-apply-persist rounds/s (1 core)', (r) => r.roundsPerSec, '>= 20,000'],
  ['apply rounds/s on live objects (1 core)', (r) => r.roundsOnObjectsPerSec],
  ['openCase/s (1 core)', (r) => r.openCasePerSec],
];

/**
 * The main block: heading, the table of workflows and events figures (median and every run), the
 * round trips per request and the CPU profile, when the results have them.
 * @param {BenchResults} results
 * @param {RunShape} shape
 */
function render(results, shape) {
  const { wf, ev, rt, prof, info, startedAt, seconds } = results;
  /** @type {string[]} */
  const lines = [];
  /**
   * @param {string} bench
   * @param {string} figure
   * @param {number[]} values
   * @param {Format} format
   */
  const row = (bench, figure, values, format, target = '') =>
    lines.push(
      `| ${bench} | ${figure} | **${format(median(values))}** | ${values.map((v) => format(v)).join(' / ')} | ${target} |`,
    );
  lines.push(MARKERS.results.begin, '');
  lines.push(
    `Measured ${minute(startedAt)} UTC with \`npm run bench\` ` +
      `(${shape.runs} runs, ${shape.duration} s each, ${shape.cases.toLocaleString('en-US')} cases seeded per run, ` +
      `${shape.connections} connections; the whole bench took ${Math.round(seconds ?? NaN)} s).`,
  );
  lines.push('');
  lines.push(
    `Machine: ${info.cores} cores (${info.cpu}), ${info.memoryGiB} GiB, ${info.os}; Node ${info.node}; ` +
      `${info.postgres}; ${info.pgbench}. App, PostgreSQL, autocannon and pgbench share the machine.`,
  );
  lines.push('');
  lines.push('| Benchmark | Figure | Median | Runs | Target |', '|---|---|---:|---|---|');
  if (wf) {
    for (const [figure, value, target] of WORKFLOW_ROWS) {
      row('workflows', figure, wf.map(value), fmt, target);
    }
  }
  if (ev) {
    for (const [figure, value, format, target] of eventRows(ev)) {
      row('events', figure, ev.map(value), format, target);
    }
  }
  lines.push('');
  if (rt) {
    lines.push(
      'Round trips to PostgreSQL per request (counted by bench/pg-proxy.js, one request at a time):',
      '',
    );
    lines.push('| Request | Round trips | Statements |', '|---|---:|---:|');
    for (const [name, k] of Object.entries(rt))
      lines.push(`| ${name} | ${k.roundTrips} | ${k.statements} |`);
    lines.push('');
    for (const [name, k] of Object.entries(rt)) {
      lines.push(`<details><summary>${name}: statements per request</summary>`, '');
      for (const s of k.detail) lines.push(`- ${s.perRequest} × \`${s.sql.replace(/`/g, "'")}\``);
      lines.push('', '</details>', '');
    }
  }
  if (prof) {
    lines.push(
      `CPU profile of the app (\`node --cpu-prof\`, 10 s of the same load, ${fmt(prof.load.eventsPerSec)} events/s ` +
        `while profiled; ${prof.windowed ? 'samples of the load window only; ' : ''}the app's main thread was busy ${prof.busyPct}% of it). Self time, % of busy:`,
      '',
    );
    lines.push('| Package | % | | Frame | % |', '|---|---:|---|---|---:|');
    const n = Math.max(prof.packages.length, prof.frames.length);
    for (let i = 0; i < n; i++) {
      const p = prof.packages[i];
      const f = prof.frames[i];
      lines.push(
        `| ${p ? p.name : ''} | ${p ? p.pct : ''} | | ${f ? `\`${f.name}\`` : ''} | ${f ? f.pct : ''} |`,
      );
    }
    lines.push('', 'Inclusive time (the frame and what it calls), % of busy:', '');
    lines.push('| Frame | % |', '|---|---:|');
    for (const f of prof.inclusive) lines.push(`| \`${f.name}\` | ${f.pct} |`);
    lines.push('');
  }
  lines.push(MARKERS.results.end);
  return lines.join('\n');
}

/**
 * Every run's rate, for a measurement that has them.
 * @param {{ runsPerSec?: number[] }} r
 */
const runsOf = (r) => (r.runsPerSec ?? []).map((v) => fmt(v)).join(' / ');

/**
 * The timers block: the scheduler's drain with 1 and 2 instances, and the raw claim.
 * @param {BenchResults} results
 */
function renderTimers(results) {
  const { tm, info, startedAt } = results;
  if (!tm) throw new Error('renderTimers: no timers results');
  const lines = [MARKERS.timers.begin, ''];
  lines.push(
    `Measured ${minute(startedAt)} UTC with \`npm run bench\` ` +
      `(${tm.runs > 1 ? `${tm.runs} runs, the median shown` : 'one run'}; ${fmt(tm.timers)} due ` +
      `\`supplier_response\` timers per measurement, copies of ` +
      `${fmt(tm.templates)} out_of_stock cases opened through the API; scheduler every 100 ms). ` +
      `Machine: ${info.cores} cores (${info.cpu}); ${info.postgres}; app(s), PostgreSQL and the ` +
      `poller share it.`,
    '',
  );
  lines.push(
    '| Measurement | Timers | Fired (breached) | Timeline entries | Seconds | Rate | Runs | Target |',
    '|---|---:|---:|---:|---:|---:|---|---|',
  );
  /** @type {[string, import('./results').SchedulerRun, string][]} */
  const measurements = [
    ['scheduler, 1 instance (4 claim loops)', tm.one, '>= 1,000/s'],
    ['scheduler, 2 instances (8 claim loops)', tm.two, 'faster than 1'],
  ];
  for (const [name, r, target] of measurements) {
    const entries = Object.values(r.entries || {}).reduce((a, b) => a + b, 0);
    lines.push(
      `| ${name} | ${fmt(r.timers)} | ${fmt(r.fired)} (${fmt(r.breached)}) | ${fmt(entries)} | ` +
        `${fmt(r.seconds, 1)}${r.timedOut ? ` (timed out, ${fmt(r.left)} left)` : ''} | ` +
        `**${fmt(r.timersPerSec)} timers/s** | ${runsOf(r)} | ${target} |`,
    );
  }
  lines.push(
    `| raw claim of batches of 32 + \`UPDATE fired_at\`, ${tm.raw.connections} connections, no app | ` +
      `${fmt(tm.raw.timers)} | ${fmt(tm.raw.claimed)} | - | ${fmt(tm.raw.seconds, 1)} | ` +
      `**${fmt(tm.raw.claimsPerSec)} claims/s** | ${runsOf(tm.raw)} | |`,
  );
  lines.push(
    '',
    `2 instances ÷ 1: **${fmt(tm.two.timersPerSec / tm.one.timersPerSec, 2)}x**; ` +
      `1 instance ÷ raw claims: **${pctOf(tm.one.timersPerSec / tm.raw.claimsPerSec)}**.`,
    '',
    MARKERS.timers.end,
  );
  return lines.join('\n');
}

/**
 * The growth table by level, the cost-per-event line and the export line (what
 * bench/growth.bench.js prints on its own).
 * @param {GrowthResult} r
 */
function renderGrowthTable(r) {
  const lines = [
    '| Cases | Timeline entries | DB size | Events/s (median) | Runs | p50 (ms) | p99 (ms) | Non-2xx | Case read p99 (ms) | Timeline read p99 (ms) | App RSS (MiB) |',
    '|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const l of r.levels) {
    lines.push(
      `| ${fmt(l.cases)} | ${fmt(l.timelineEntries)} | ${size(l.dbSizeBytes)} | ` +
        `**${fmt(l.events.perSec)}** | ${(l.events.runsPerSec ?? [l.events.perSec]).map((v) => fmt(v)).join(' / ')} | ` +
        `${fmt(l.events.latencyMs.p50, 1)} | ` +
        `${fmt(l.events.latencyMs.p99, 1)} | ${fmt(l.events.non2xxAllRuns ?? l.events.non2xx)} | ` +
        `${fmt(l.reads.case.latencyMs.p99, 1)} | ${fmt(l.reads.timeline.latencyMs.p99, 1)} | ` +
        `${fmt(l.rssMiB, 0)} |`,
    );
  }
  const c = r.costPerEvent;
  const e = r.export;
  lines.push(
    '',
    `cost per event: events/s at the largest level ÷ at the smallest = **${fmt(c.ratio * 100, 1)}%** ` +
      `(${fmt(c.largestCases)} vs ${fmt(c.smallestCases)} cases; target: flat within ` +
      `${Math.round(FLAT_WITHIN * 100)}%, i.e. ${c.target}: **${c.met ? 'met' : 'not met'}**).`,
    '',
    `audit export at ${fmt(e.cases)} cases: **${fmt(e.entries)} entries in ${fmt(e.seconds, 1)} s, ` +
      `${fmt(e.entriesPerSec)} entries/s** (${fmt(e.mibPerSec, 1)} MiB/s, first byte after ` +
      `${fmt(e.firstByteSec * 1000, 0)} ms); app RSS ${fmt(e.rssBeforeMiB, 0)} MiB before, ` +
      `peak **${fmt(e.rssPeakMiB, 0)} MiB**, ${fmt(e.rssAfterMiB, 0)} MiB after.` +
      (e.capped
        ? ` The same export by an app started with \`--max-old-space-size=${e.capped.oldSpaceMiB}\`: ` +
          `${fmt(e.capped.entriesPerSec)} entries/s, RSS peak **${fmt(e.capped.rssPeakMiB, 0)} MiB** ` +
          `(the peak above is garbage V8 had not collected yet, not data the export holds).`
        : ''),
  );
  return lines.join('\n');
}

/**
 * The growth block: what was measured, then {@link renderGrowthTable}.
 * @param {BenchResults} results
 */
function renderGrowth(results) {
  const { gr, info, startedAt } = results;
  if (!gr) throw new Error('renderGrowth: no growth results');
  const first = gr.levels[0];
  return [
    MARKERS.growth.begin,
    '',
    `Measured ${minute(startedAt)} UTC with \`npm run bench\` ` +
      `(bench/growth.bench.js; ${fmt(gr.templates.cases)} out_of_stock cases opened ` +
      `through the API, then the database grown to each level by SQL copies of them, timeline ` +
      `entries (chains rehashed) and live timers included, VACUUM ANALYZE and a CHECKPOINT after each growth; at ` +
      `each level ${first.events.runsPerSec?.length ?? 1} runs of ${gr.durationSec} s of events (NOTE on ` +
      `${fmt(first.notes)} random open cases, every 10th request a real transition on other random ` +
      `fresh cases; the median run shown), then ${gr.durationSec} s ` +
      `of \`GET /v1/cases/:id\` and of \`GET /v1/cases/:id/timeline\` on random cases, ` +
      `${gr.connections} connections each; the app's RSS after the loads). Machine: ` +
      `${info.cores} cores (${info.cpu}); ${info.postgres}; app, PostgreSQL and autocannon share it.`,
    '',
    renderGrowthTable(gr),
    '',
    MARKERS.growth.end,
  ].join('\n');
}

/**
 * The evidence block (`--only=evidence`): photo uploads per second beside the disk's own write
 * speed, and the packet's time.
 * @param {BenchResults} results
 */
function renderEvidence(results) {
  const { evd, info, startedAt } = results;
  if (!evd) throw new Error('renderEvidence: no evidence results');
  const mib = evd.photoBytes / 2 ** 20;
  const up = evd.uploads;
  const mid = up.find((u) => u.perSec === evd.uploadsPerSec) ?? up[0];
  const runs = (/** @type {number[]} */ values, /** @type {Format} */ f) =>
    values.map(f).join(' / ');
  const packetRow = (/** @type {'pdf' | 'zip'} */ format) =>
    `| packet of a case with ${evd.photos} photos, ${format.toUpperCase()} (${size(evd.packet[format].bytes)}) | ` +
    `**${fmt(median(evd.packet[format].ms) / 1000, 2)} s** | ${runs(evd.packet[format].ms, (v) => fmt(v / 1000, 2))} | |`;
  const disk = evd.disk.mbPerSec;
  return [
    MARKERS.evidence.begin,
    '',
    `Measured ${minute(startedAt)} UTC with \`npm run bench -- --only=evidence\` ` +
      `(bench/evidence.bench.js; ${up.length} runs of ${evd.durationSec} s, the median shown): ` +
      `\`multipart/form-data\` uploads of one ${fmt(mib, 2)} MiB JPEG as a photo, ` +
      `${evd.connections} connections over 8 cases, each read, typed, decoded and encoded again ` +
      `without metadata by libvips, hashed and kept in the file store; then the packet of a case ` +
      `with ${evd.photos} distinct photos of that size, read to its last byte. Machine: ` +
      `${info.cores} cores (${info.cpu}); ${info.postgres}; app, PostgreSQL and autocannon share it.`,
    '',
    '| Measurement | Median | Runs | Beside |',
    '| --- | --: | --- | --- |',
    `| photo uploads (${fmt(mib, 2)} MiB, ${evd.connections} connections) | **${fmt(evd.uploadsPerSec, 1)} uploads/s** ` +
      `(${fmt(evd.uploadsPerSec * mib, 1)} MiB/s; p50 ${fmt(mid.p50)} ms, p99 ${fmt(mid.p99)} ms; ` +
      `non-2xx ${fmt(up.reduce((n, u) => n + u.non2xx + u.errors, 0))}) | ${runs(
        up.map((u) => u.perSec),
        (v) => fmt(v, 1),
      )} | disk write ${disk === null ? '?' : `**${fmt(disk, 0)} MB/s**`} (\`dd bs=1M count=512 oflag=direct\`) |`,
    packetRow('pdf'),
    packetRow('zip'),
    '',
    MARKERS.evidence.end,
  ].join('\n');
}

/**
 * The blocks a run rewrites ('' for a block it leaves alone): the main one unless `only` names
 * another bench or the results have neither workflows nor events (the JSON of an `--only=` run),
 * the timers and growth ones when measured and not excluded by `only`.
 * @param {BenchResults} results
 * @param {RunShape & { only: 'timers' | 'growth' | 'tracking' | 'evidence' | null }} options
 */
function renderBlocks(results, options) {
  const { only } = options;
  return {
    results: only || !(results.wf || results.ev) ? '' : render(results, options),
    timers: results.tm && (!only || only === 'timers') ? renderTimers(results) : '',
    growth: results.gr && (!only || only === 'growth') ? renderGrowth(results) : '',
    evidence: results.evd ? renderEvidence(results) : '',
  };
}

/**
 * Replaces the text between a block's markers in a markdown `text` (the block carries its
 * markers), or appends the block when the markers are missing.
 * @param {string} text
 * @param {string} block
 * @param {{ begin: string, end: string }} markers
 */
function replaceBlock(text, block, { begin, end }) {
  // The begin marker is found by its start: the note in it may be reworded.
  const b = text.indexOf(begin.slice(0, 25));
  const e = text.indexOf(end);
  if (b >= 0 && e > b) return text.slice(0, b) + block + text.slice(e + end.length);
  return `${text.trimEnd()}\n\n${block}\n`;
}

/**
 * Writes the non-empty blocks into `file` (BENCHMARKS.md), each between its markers.
 * @param {string} file
 * @param {{ results: string, timers: string, growth: string, evidence?: string }} blocks
 */
function writeMarkdown(file, blocks) {
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n## Results\n\n';
  for (const name of /** @type {const} */ (['results', 'timers', 'growth', 'evidence'])) {
    if (blocks[name]) text = replaceBlock(text, blocks[name], MARKERS[name]);
  }
  fs.writeFileSync(file, text);
}

module.exports = {
  FLAT_WITHIN,
  MARKERS,
  fmt,
  median,
  pctOf,
  render,
  renderBlocks,
  renderEvidence,
  renderGrowth,
  renderGrowthTable,
  renderTimers,
  replaceBlock,
  writeMarkdown,
};
