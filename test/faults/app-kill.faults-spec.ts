import { AppProcess, freePort, startAppProcess } from '../support/app-process';
import { Api } from '../support/fixtures';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { afterFaults, timersComeDue } from './support/checks';
import { LoadGenerator, statusCounts } from './support/load';
import {
  appEnv,
  faultRandom,
  OPS_KEY,
  randomMoment,
  report,
  seedClients,
} from './support/scenario';

const NAME = 'kill -9';
const KILLS = 10;

/**
 * The app process is killed with SIGKILL at random moments while 4 clients send ~200 events/s and
 * timers come due, then started again on the same database and port. A kill lands mid-request,
 * mid-transaction, mid-timer: what was acknowledged must survive exactly once, what was not must
 * have left nothing half-done, and no timer may fire twice or be lost.
 */
describe('kill -9 of the app under load', () => {
  let db: TestDatabase;
  let app: AppProcess | null = null;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.stop('SIGKILL');
    await db?.drop();
  });

  it(`${KILLS} kills: every 2xx on the timeline once, whole cases, each timer fired once`, async () => {
    const random = faultRandom(NAME);
    const env = appEnv(db.url, { PORT: String(await freePort()) });
    app = await startAppProcess(env);
    const baseUrl = app.baseUrl;
    const { supplier, clients } = await seedClients(new Api(baseUrl), 4);
    const load = new LoadGenerator({
      targets: [baseUrl],
      clients,
      supplierId: supplier.id,
      opsKey: OPS_KEY,
      ratePerSecond: 200,
      random,
      label: 'kill',
    });

    const started = Date.now();
    const restarts: number[] = [];
    let movedTimers = 0;
    load.start();
    try {
      for (let kill = 1; kill <= KILLS; kill++) {
        // The app serves again (acknowledges) since it was last started...
        await load.waitForAcks(20, 30_000);
        // ...timers come due around the kill, so some die mid-firing...
        movedTimers += await timersComeDue(db.pool, { count: 4, withinMs: 1500, random });
        // ...and it dies at a random moment.
        await randomMoment(random, 100, 1500);
        await app.stop('SIGKILL');
        const down = Date.now();
        app = await startAppProcess(env);
        restarts.push(Date.now() - down);
      }
      await load.waitForAcks(20, 30_000);
    } finally {
      await load.stop();
    }
    const loadMs = Date.now() - started;
    const { firedWithin, acks, whole, timers, audit } = await afterFaults(
      db.pool,
      app.baseUrl,
      OPS_KEY,
      load.sent,
      'kill',
    );
    report(
      NAME,
      `${KILLS} kills in ${loadMs} ms (restart to healthy: ${restarts.join(', ')} ms); ` +
        `${load.sent.length} requests (${Math.round((load.sent.length * 1000) / loadMs)}/s), ` +
        `${acks.acknowledged} acknowledged, by status ${JSON.stringify(statusCounts(load.sent))}; ` +
        `${whole.cases} cases; ${movedTimers} timers made due, ${timers.fired} fired in all, ` +
        `the last due ones within ${firedWithin} ms`,
    );

    expect(acks.problems).toEqual([]);
    expect(whole.problems).toEqual([]);
    expect(timers.problems).toEqual([]);
    expect(audit.problems).toEqual([]);
    // The run did what it says: load was acknowledged across every restart, timers fired.
    expect(restarts).toHaveLength(KILLS);
    expect(acks.acknowledged).toBeGreaterThanOrEqual(20 * (KILLS + 1));
    expect(movedTimers).toBeGreaterThan(0);
    expect(timers.fired).toBeGreaterThan(0);
    // No error answered 500: a refused event is a 409, an unreachable app no answer at all.
    expect(load.sent.filter((s) => s.status !== null && s.status >= 500)).toEqual([]);
  }, 240_000);
});
