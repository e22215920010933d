// @ts-check
// Where the machine's CPU goes during a load: the app process, all PostgreSQL processes, the rest
// (load generator, pgbench, anything else), and idle, read from /proc (Linux) before and after.
// Profiles sample wall time on the app's thread, so a thread descheduled inside a syscall (a
// `writev` that woke a PostgreSQL backend) counts as busy there; these counters do not.
'use strict';
const fs = require('node:fs');

// utime and stime in /proc/<pid>/stat are in clock ticks; USER_HZ is 100 on Linux.
const TICK_MS = 10;

/**
 * CPU ms (user + system) of one process and of its children that exited (a PostgreSQL backend's
 * time moves to the postmaster when it exits, as pgbench's do at its end), or 0 if it is gone.
 * @param {number | string} pid
 * @param {'all' | 'system'} [only] `system`: the kernel time of the process alone
 */
function processCpuMs(pid, only = 'all') {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (only === 'system') return Number(fields[12]) * TICK_MS; // stime
    // utime, stime, cutime, cstime
    return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) * TICK_MS;
  } catch {
    return 0;
  }
}

/** CPU ms of every process whose command is `postgres` (the server and all its backends). */
function postgresCpuMs() {
  let total = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
    } catch {
      continue; // exited meanwhile
    }
    total += processCpuMs(entry);
  }
  return total;
}

/** The machine's busy and idle ms, all cores together (/proc/stat, first line). */
function machineMs() {
  const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = values.map(Number);
  const idle = n[3] + n[4]; // idle, iowait
  const all = n.slice(0, 8).reduce((a, b) => a + b, 0); // user .. steal
  return { busy: (all - idle) * TICK_MS, idle: idle * TICK_MS };
}

/**
 * Starts an account; `stop(units)` returns CPU ms per unit for each part, and the idle share.
 * @param {number} appPid the app's process (0: no app)
 */
function startCpuAccount(appPid) {
  const before = {
    app: appPid ? processCpuMs(appPid) : 0,
    appSystem: appPid ? processCpuMs(appPid, 'system') : 0,
    postgres: postgresCpuMs(),
    machine: machineMs(),
  };
  return {
    /**
     * @param {number} units requests or transactions done meanwhile
     * @returns {import('./lib/results').CpuAccount}
     */
    stop(units) {
      const app = appPid ? processCpuMs(appPid) - before.app : 0;
      const appSystem = appPid ? processCpuMs(appPid, 'system') - before.appSystem : 0;
      const postgres = postgresCpuMs() - before.postgres;
      const machine = machineMs();
      const busy = machine.busy - before.machine.busy;
      const idle = machine.idle - before.machine.idle;
      /** @param {number} ms */
      const per = (ms) => Math.round((ms / units) * 1000) / 1000;
      return {
        appMsPerUnit: per(app),
        /** The part of the app's CPU spent in the kernel (sockets, mostly). */
        appSystemShare: app ? Math.round((appSystem / app) * 1000) / 1000 : 0,
        postgresMsPerUnit: per(postgres),
        otherMsPerUnit: per(busy - app - postgres),
        idleShare: Math.round((idle / (busy + idle)) * 1000) / 1000,
      };
    },
  };
}

module.exports = { startCpuAccount, processCpuMs };
