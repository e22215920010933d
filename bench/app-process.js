// @ts-check
// The built app (dist/src/main.js) as its own process for the benchmarks: a free port, bench
// settings (no rate limit, silent logs, scheduler and dispatcher off unless `env` turns them on),
// resolved once /health answers 200.
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

/** @returns {Promise<number>} a port free on 127.0.0.1 now */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {object} options
 * @param {string} options.databaseUrl
 * @param {string} options.opsKey REDRESS_BOOTSTRAP_OPS_KEY
 * @param {Record<string, string>} [options.env] more environment, over the bench settings
 * @param {string[]} [options.nodeArgs] node flags (e.g. --cpu-prof)
 */
async function startApp({ databaseUrl, opsKey, env = {}, nodeArgs = [] }) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDRESS_BOOTSTRAP_OPS_KEY: opsKey,
      // Production needs these; fixed, so that restarts on one bench database open its secrets.
      REDRESS_SECRET_KEY: Buffer.alloc(32, 0x42).toString('base64'),
      REDRESS_METRICS_TOKEN: 'bench-metrics-token',
      REDRESS_SIGNING_KEY: Buffer.alloc(32, 0x43).toString('base64'),
      REDRESS_RATE_LIMIT_PER_SECOND: '1000000',
      LOG_LEVEL: 'silent',
      REDRESS_SCHEDULER: '0',
      REDRESS_DISPATCHER: '0',
      ...env,
    },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`app not healthy after 60 s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    /** The app process's id (its RSS is /proc/<pid>/status VmRSS). */
    pid: child.pid,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

module.exports = { freePort, startApp };
