import { Pool } from 'pg';
import { AppProcess, startAppProcess } from '../support/app-process';
import { Api } from '../support/fixtures';
import { afterFaults, timersComeDue } from './support/checks';
import { LoadGenerator, postJson, Sent, statusCounts } from './support/load';
import { startThrowawayPostgres, ThrowawayPostgres } from './support/postgres-cluster';
import {
  appEnv,
  faultRandom,
  OPS_KEY,
  randomMoment,
  report,
  seedClients,
  until,
} from './support/scenario';

const NAME = 'PostgreSQL crash';
const CRASHES = 2;
const RECOVERY_LIMIT_MS = 30_000;
/** Longer than the pool's connect timeout would matter for; short enough for the whole run. */
const DOWN_MS = 2_000;

const contractError = (status: number, code: string) => ({
  statusCode: status,
  error: code,
  message: expect.any(String),
});

/**
 * PostgreSQL (a cluster of the test's own) is crashed (`pg_ctl stop -m immediate`: every backend
 * killed, WAL replay at the next start) while 4 clients send events; it stays down a moment, then
 * starts again. The app is never restarted: while the database is down it answers 503 in the
 * contract's format (never 500, never a hang), and it serves again by itself once it is back.
 */
describe('PostgreSQL crashed and restarted under load', () => {
  let pg: ThrowawayPostgres | null = null;
  let app: AppProcess | null = null;
  let pool: Pool | null = null;

  beforeAll(async () => {
    pg = await startThrowawayPostgres();
  });
  afterAll(async () => {
    await app?.stop('SIGKILL');
    await pool?.end();
    await pg?.destroy();
  });

  it('503 while down, back within 30 s without a restart, nothing acknowledged lost, no partial case', async () => {
    const random = faultRandom(NAME);
    app = await startAppProcess(appEnv(pg!.url));
    const baseUrl = app.baseUrl;
    pool = new Pool({ connectionString: pg!.url, max: 2 });
    // Its connections die with the server; the next query gets a fresh one.
    pool.on('error', () => undefined);
    const { supplier, clients } = await seedClients(new Api(baseUrl), 4);
    const load = new LoadGenerator({
      targets: [baseUrl],
      clients,
      supplierId: supplier.id,
      opsKey: OPS_KEY,
      ratePerSecond: 200,
      random,
      label: 'pgcrash',
    });
    const someCase = clients[0].cases[0].id;
    const probes: { what: string; status: number | null; body: unknown }[] = [];
    const outages: { from: number; to: number }[] = [];
    const recoveries: number[] = [];

    load.start();
    try {
      for (let crash = 1; crash <= CRASHES; crash++) {
        await load.waitForAcks(50, RECOVERY_LIMIT_MS);
        await timersComeDue(pool, { count: 4, withinMs: 2000, random });
        await randomMoment(random, 100, 1000);
        await pg!.crash();
        const from = Date.now();

        // Down: /health says so, and requests get the contract's 503 (auth from the key cache or
        // not, reads and writes alike).
        let health: unknown = null;
        await until(
          '/health answers 503',
          async () => {
            const res = await fetch(`${baseUrl}/health`).catch(() => null);
            if (res?.status === 503) health = await res.json();
            return res?.status === 503;
          },
          5_000,
        );
        probes.push({ what: 'GET /health', status: 503, body: health });
        const auth = { authorization: `Bearer ${OPS_KEY}` };
        const note = await postJson(
          `${baseUrl}/v1/cases/${someCase}/events`,
          { type: 'NOTE', payload: { text: 'while the database is down' } },
          auth,
        );
        probes.push({ what: 'POST event', status: note.status, body: note.body });
        const read = await fetch(`${baseUrl}/v1/cases/${someCase}`, { headers: auth });
        probes.push({ what: 'GET case', status: read.status, body: await read.json() });
        // The load goes on against the dead database for a while (answered, not hanging).
        const answeredSince = () =>
          load.sent.filter((s) => s.startedAt >= from && s.status !== null).length;
        await until(
          `${DOWN_MS} ms down and 40 answers`,
          () => Date.now() - from >= DOWN_MS && answeredSince() >= 40,
          10_000,
        );

        const to = Date.now();
        outages.push({ from, to });
        await pg!.start();
        const back = Date.now();
        await until(
          '/health answers 200 again',
          async () => {
            const res = await fetch(`${baseUrl}/health`).catch(() => null);
            return res?.status === 200;
          },
          RECOVERY_LIMIT_MS,
          100,
        );
        await load.waitForAcks(20, RECOVERY_LIMIT_MS);
        recoveries.push(Date.now() - back);
        // Recovered by itself: the same process all along.
        expect(app.child.exitCode).toBeNull();
        expect(app.child.signalCode).toBeNull();
      }
      await load.waitForAcks(50, RECOVERY_LIMIT_MS);
    } finally {
      await load.stop();
    }
    const { firedWithin, acks, whole, timers, audit } = await afterFaults(
      pool,
      baseUrl,
      OPS_KEY,
      load.sent,
      'pgcrash',
    );
    const inOutage = (s: Sent) =>
      s.status !== null && outages.some((o) => s.startedAt >= o.from && s.endedAt <= o.to);
    const duringOutages = load.sent.filter(inOutage);
    report(
      NAME,
      `${CRASHES} crashes, down ${outages.map((o) => o.to - o.from).join(', ')} ms, ` +
        `serving again ${recoveries.join(', ')} ms after PostgreSQL was back; ` +
        `${load.sent.length} requests, ${acks.acknowledged} acknowledged, by status ` +
        `${JSON.stringify(statusCounts(load.sent))} (while down: ` +
        `${JSON.stringify(statusCounts(duringOutages))}); ${whole.cases} cases; ` +
        `${timers.fired} timers fired, the last due ones within ${firedWithin} ms`,
    );

    expect(probes).toEqual(
      Array.from({ length: CRASHES }, () => [
        { what: 'GET /health', status: 503, body: contractError(503, 'service_unavailable') },
        { what: 'POST event', status: 503, body: contractError(503, 'service_unavailable') },
        { what: 'GET case', status: 503, body: contractError(503, 'service_unavailable') },
      ]).flat(),
    );
    // Every answer given while the database was down is the contract's 503...
    expect(duringOutages.length).toBeGreaterThanOrEqual(40 * CRASHES);
    const notUnavailable = duringOutages.filter(
      (s) =>
        s.status !== 503 ||
        (s.body as { error?: string; statusCode?: number }).error !== 'service_unavailable',
    );
    expect(notUnavailable.map((s) => ({ status: s.status, body: s.body }))).toEqual([]);
    // ...and nothing, down, crashing or recovering, is a 500.
    expect(load.sent.filter((s) => s.status === 500).map((s) => s.body)).toEqual([]);
    expect(recoveries.every((ms) => ms < RECOVERY_LIMIT_MS)).toBe(true);

    expect(acks.problems).toEqual([]);
    expect(whole.problems).toEqual([]);
    expect(timers.problems).toEqual([]);
    expect(audit.problems).toEqual([]);
    expect(acks.acknowledged).toBeGreaterThanOrEqual(50 * (CRASHES + 1));
  }, 180_000);
});
