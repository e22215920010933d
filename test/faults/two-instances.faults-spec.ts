import { signedHeaders } from '../e2e/webhook-helpers';
import { AppProcess, startAppProcess } from '../support/app-process';
import { Api, order } from '../support/fixtures';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { afterFaults, dueTimersFire, timersComeDue } from './support/checks';
import { LoadGenerator, postJson, Sent, statusCounts } from './support/load';
import { appEnv, faultRandom, OPS_KEY, report, seedClients } from './support/scenario';

const NAME = 'two instances';
const ROUNDS = 6;
const WEBHOOKS_PER_ROUND = 4;

/**
 * Two app processes on one database, both schedulers on (as scheduler.e2e-spec.ts does in
 * process, timers are made due by SQL: each process has its own clock, so the test clock cannot
 * move both). Load goes to both in turn; timers come due under it; each supplier webhook is
 * delivered to both at once with the same webhook-id, as a retrying sender behind a load balancer
 * would. Each timer fires once, each webhook applies once, and no update is lost.
 */
describe('two instances on one database under load', () => {
  let db: TestDatabase;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const app of apps) await app.stop('SIGKILL');
    await db?.drop();
  });

  it('each timer fires once, each webhook applies once, no lost update', async () => {
    const random = faultRandom(NAME);
    const env = appEnv(db.url, { REDRESS_SCHEDULER_INTERVAL_MS: '100' });
    apps.push(await startAppProcess(env), await startAppProcess(env));
    const targets = apps.map((app) => app.baseUrl);
    const api = new Api(targets[0]);
    const { supplier, clients } = await seedClients(api, 4);
    // Cases that only webhooks move (shipment.created closes them); the load adds NOTEs to them.
    const shipping: string[] = [];
    for (let i = 0; i < ROUNDS * WEBHOOKS_PER_ROUND; i++) {
      const client = clients[i % clients.length];
      const opened = (await api.open(client.key, supplier.id, 'late_shipment', order())) as {
        id: string;
      };
      client.cases.push({ id: opened.id, notesOnly: true });
      shipping.push(opened.id);
    }
    const load = new LoadGenerator({
      targets,
      clients,
      supplierId: supplier.id,
      opsKey: OPS_KEY,
      ratePerSecond: 200,
      random,
      label: 'twin',
    });

    const deliveries: { ref: string; answers: Sent[] }[] = [];
    const deliver = async (caseId: string) => {
      const ref = `twin-webhook-${deliveries.length}`;
      const body = JSON.stringify({
        type: 'shipment.created',
        caseId,
        data: { trackingNumber: ref },
      });
      // One signed delivery (same webhook-id, same signature), sent to both instances at once.
      const headers = signedHeaders(supplier.secret, body);
      const record = { ref, answers: [] as Sent[] };
      deliveries.push(record);
      record.answers = await Promise.all(
        targets.map(async (target) => {
          const startedAt = Date.now();
          const url = `${target}/v1/webhooks/suppliers/${supplier.id}`;
          const result = await postJson(url, body, headers);
          return {
            ref,
            kind: 'event' as const,
            type: 'SHIPPED',
            caseId,
            target,
            ...result,
            startedAt,
            endedAt: Date.now(),
          };
        }),
      );
    };

    let movedTimers = 0;
    const started = Date.now();
    load.start();
    try {
      for (let round = 0; round < ROUNDS; round++) {
        await load.waitForAcks(100, 30_000);
        movedTimers += await timersComeDue(db.pool, {
          count: 12,
          withinMs: 1500,
          random,
          except: shipping,
        });
        const batch = shipping.slice(round * WEBHOOKS_PER_ROUND, (round + 1) * WEBHOOKS_PER_ROUND);
        await Promise.all(batch.map((caseId) => deliver(caseId)));
        // Under load still, until what was made due has fired.
        await dueTimersFire(db.pool, 20_000);
      }
      await load.waitForAcks(100, 30_000);
    } finally {
      await load.stop();
    }
    const loadMs = Date.now() - started;
    const webhookAnswers = deliveries.flatMap((d) => d.answers);
    const { firedWithin, acks, whole, timers, audit } = await afterFaults(
      db.pool,
      targets[1],
      OPS_KEY,
      [...load.sent, ...webhookAnswers],
      'twin',
    );
    const perTarget = targets.map((t) => load.sent.filter((s) => s.target === t).length);
    report(
      NAME,
      `${load.sent.length} requests in ${loadMs} ms (${perTarget.join(' + ')}), ` +
        `${acks.acknowledged} acknowledged, by status ${JSON.stringify(statusCounts(load.sent))}; ` +
        `${deliveries.length} webhooks delivered twice; ${whole.cases} cases; ` +
        `${movedTimers} timers made due, ${timers.fired} fired in all, the last within ${firedWithin} ms`,
    );

    // Each webhook: both deliveries answered 200, one applied it, the other saw a duplicate.
    const outcomes = deliveries.map((d) => ({
      ref: d.ref,
      statuses: d.answers.map((a) => a.status),
      applied: d.answers.filter((a) => !(a.body as { duplicate?: boolean }).duplicate).length,
    }));
    expect(outcomes).toEqual(
      deliveries.map((d) => ({ ref: d.ref, statuses: [200, 200], applied: 1 })),
    );
    const closed = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE id = ANY($1::uuid[]) AND outcome = 'shipped'`,
      [shipping],
    );
    expect(closed.rows[0].n).toBe(shipping.length);

    expect(acks.problems).toEqual([]);
    expect(whole.problems).toEqual([]);
    expect(timers.problems).toEqual([]);
    expect(audit.problems).toEqual([]);
    // Both instances served, and timers did come due under the load.
    expect(perTarget.every((n) => n > 100)).toBe(true);
    expect(movedTimers).toBeGreaterThan(0);
    expect(timers.fired).toBeGreaterThan(0);
    expect(load.sent.filter((s) => s.status !== null && s.status >= 500)).toEqual([]);
  }, 180_000);
});
