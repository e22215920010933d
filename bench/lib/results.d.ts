// The JSON the benchmarks print (one object per run, the last line of their stdout), as
// scripts/bench.js collects it and bench/lib/tables.js renders it. Shapes only: no code.
/** Where the figures were measured. */
export interface MachineInfo {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  pgbench: string;
  os: string;
}

export interface LatencyMs {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** CPU per unit of work (bench/cpu-account.js). */
export interface CpuAccount {
  appMsPerUnit: number;
  appSystemShare: number;
  postgresMsPerUnit: number;
  otherMsPerUnit: number;
  idleShare: number;
}

/** One run of bench/workflows.bench.ts. */
export interface WorkflowsRun {
  claimFlowTransitionsPerSec: number;
  xstateTransitionPerSec: number;
  roundsPerSec: number;
  roundsOnObjectsPerSec: number;
  openCasePerSec: number;
}

/** What every load reports (bench/lib/load.js, `figures`). */
export interface LoadCounts {
  latencyMs: LatencyMs;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** What bench/events-load.js prints. */
export interface EventsLoad extends LoadCounts {
  eventsPerSec: number;
  acceptedPerSec: number;
  statuses: Record<string, number>;
  refusals: Record<string, number>;
  sent: Record<string, number>;
  accepted: Record<string, number>;
  transitions: number;
  durationSec: number;
  /** Added by bench/events.bench.js; absent in the JSON of older runs. */
  cpu?: CpuAccount;
}

/** What bench/reads-load.js prints. */
export interface ReadsLoad extends LoadCounts {
  kind: 'case' | 'timeline';
  requestsPerSec: number;
  statuses: Record<string, number>;
  durationSec: number;
}

export interface PgbenchRun {
  tps: number;
  latencyAvgMs: number;
  transactions: number;
  failed: number;
  cpu?: CpuAccount;
}

/** One run of bench/events.bench.js. */
export interface EventsRun {
  cases: number;
  seedCasesPerSec: number;
  connections: number;
  durationSec: number;
  http: EventsLoad;
  pgbench: PgbenchRun;
  pgbenchLocked: PgbenchRun;
  ratio: number;
  ratioToLocked: number;
}

/** Round trips and statements per request of one kind (bench/pg-proxy.js). */
export interface RoundTrips {
  roundTrips: number;
  statements: number;
  detail: { sql: string; perRequest: number }[];
}

/** A V8 CPU profile (.cpuprofile, `node --cpu-prof`). */
export interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  /** µs of the monotonic clock. */
  startTime: number;
  /** Node ids, one per sample. */
  samples: number[];
  /** µs since the previous sample. */
  timeDeltas: number[];
}

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

/** A frame or a package and its % of the busy time. */
export interface Share {
  name: string;
  pct: number;
}

/** bench/lib/profile.js's summary of a CPU profile. */
export interface ProfileSummary {
  /** Only the samples inside the load's window were kept. */
  windowed: boolean;
  /** % of the kept time the main thread was not idle. */
  busyPct: number;
  /** Self time, the top 15 frames. */
  frames: Share[];
  /** Self time, the top 12 packages. */
  packages: Share[];
  /** The top 25 frames with what they call, generic frames left out. */
  inclusive: Share[];
}

export interface ProfileResult extends ProfileSummary {
  load: EventsLoad;
}

/** A timers measurement, the median run, with every run's rate. */
export interface SchedulerRun {
  instances: number;
  timers: number;
  left: number;
  fired: number;
  breached: number;
  entries: Record<string, number>;
  seconds: number;
  timersPerSec: number;
  timedOut: boolean;
  runsPerSec?: number[];
}

export interface RawClaimsRun {
  connections: number;
  timers: number;
  claimed: number;
  seconds: number;
  claimsPerSec: number;
  runsPerSec?: number[];
}

/** What bench/timers.bench.js prints. */
export interface TimersResult {
  timers: number;
  templates: number;
  runs: number;
  seedCasesPerSec: number;
  liveTimersPerTemplate: Record<string, number>;
  one: SchedulerRun;
  two: SchedulerRun;
  raw: RawClaimsRun;
}

/** A load's figures as the growth bench keeps them. */
export interface LoadFigures extends LoadCounts {
  perSec: number;
}

export interface GrowthLevel {
  target: number;
  cases: number;
  timelineEntries: number;
  liveTimers: number;
  dbSizeBytes: number;
  vacuumSeconds: number;
  checkpointSeconds: number;
  clone: Record<string, unknown> | null;
  notes: number;
  fresh: number;
  events: LoadFigures & {
    runsPerSec?: number[];
    non2xxAllRuns?: number;
    acceptedPerSec: number;
    transitions: number;
    statuses: Record<string, number>;
    refusals: Record<string, number>;
  };
  reads: { case: LoadFigures; timeline: LoadFigures };
  rssMiB: number | null;
}

export interface ExportRun {
  entries: number;
  bytes: number;
  seconds: number;
  firstByteSec: number;
  entriesPerSec: number;
  mibPerSec: number;
  rssBeforeMiB: number | null;
  rssPeakMiB: number;
  rssAfterMiB: number | null;
}

/** What bench/growth.bench.js prints last. */
export interface GrowthResult {
  startedAt: string;
  seconds: number;
  database: string;
  durationSec: number;
  connections: number;
  templates: { cases: number; entries: number; seedSeconds: number };
  levels: GrowthLevel[];
  costPerEvent: {
    smallestCases: number;
    largestCases: number;
    ratio: number;
    target: string;
    met: boolean;
  };
  export: ExportRun & {
    cases: number;
    expectedEntries: number;
    capped?: ExportRun & { oldSpaceMiB: number };
  };
  machine: Omit<MachineInfo, 'postgres' | 'pgbench' | 'os'>;
}

/** What `npm run bench` collects and prints last (`--from-json` reads it back). */
/** bench/evidence.bench.js: photo uploads and the packet of a case with photos. */
export interface EvidenceResult {
  photoBytes: number;
  connections: number;
  durationSec: number;
  uploads: {
    perSec: number;
    mibPerSec: number;
    p50: number;
    p99: number;
    non2xx: number;
    errors: number;
  }[];
  uploadsPerSec: number;
  photos: number;
  packet: Record<'pdf' | 'zip', { ms: number[]; bytes: number }>;
  disk: { mbPerSec: number | null; line: string };
}

export interface BenchResults {
  startedAt: Date;
  info: MachineInfo;
  wf?: WorkflowsRun[];
  ev?: EventsRun[];
  rt?: Record<string, RoundTrips>;
  prof?: ProfileResult;
  tm?: TimersResult;
  gr?: GrowthResult;
  evd?: EvidenceResult;
  seconds?: number;
}
