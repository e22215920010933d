import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { createApp } from '../../src/app.factory';
import { Api, OPS_KEY } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;

/** hardening.md: the test clock survives restarts, so new entries never go back in time. */
describe('the test clock across a restart', () => {
  let t: TestApp;
  let restarted: NestFastifyApplication | null = null;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
  });
  afterAll(async () => {
    await restarted?.close();
    await t.close();
  });

  it('is stored: a restarted app runs on from where it was set', async () => {
    const api = new Api(t.server);
    const shop = await api.merchant('Clockwork shop');
    const factory = await api.supplier('Clockwork factory');
    const id = (await api.open(shop.key, factory.id, 'oversize')).id;
    const target = new Date(Date.now() + 30 * DAY).toISOString();
    await api.post('/v1/test-clock', OPS_KEY, { now: target }).expect(200);
    await api.event(shop.key, id, 'NOTE', { text: 'in the future' }).expect(200);

    // The same database, a new process's worth of app (the first one is gone).
    await t.app.close();
    restarted = await createApp(t.config);
    await restarted.init();
    await restarted.getHttpAdapter().getInstance().ready();
    const again = new Api(restarted.getHttpServer() as Server);

    const now = (await again.get('/v1/test-clock', OPS_KEY).expect(200)).body.now as string;
    expect(Date.parse(now)).toBeGreaterThanOrEqual(Date.parse(target));
    await again.event(shop.key, id, 'NOTE', { text: 'after the restart' }).expect(200);
    const events = (await again.timeline(shop.key, id).expect(200)).body.events as {
      at: string;
    }[];
    const ats = events.map((e) => Date.parse(e.at));
    expect(ats[2]).toBeGreaterThanOrEqual(ats[1]);
    expect(ats[1]).toBeGreaterThanOrEqual(Date.parse(target));
    // Moving back is still refused after the restart.
    const back = await again.post('/v1/test-clock', OPS_KEY, { now: new Date().toISOString() });
    expect([back.status, back.body.error]).toEqual([409, 'clock_backwards']);
  });
});

/** hardening.md: a case's entries never go back in time, whichever instance writes them. */
describe('monotonic entry times', () => {
  let t: TestApp;
  let behind: NestFastifyApplication;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    // A second instance on the same database whose clock stays where it is (a day behind below).
    behind = await createApp(t.config);
    await behind.init();
    await behind.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await behind.close();
    await t.close();
  });

  it("dates an entry at least at the case's last entry, even from a clock that is behind", async () => {
    const ahead = new Api(t.server);
    const late = new Api(behind.getHttpServer() as Server);
    const shop = await ahead.merchant('Two clocks');
    const factory = await ahead.supplier('Two clocks factory');
    const id = (await ahead.open(shop.key, factory.id, 'oversize')).id;
    await ahead
      .post('/v1/test-clock', OPS_KEY, { now: new Date(Date.now() + DAY).toISOString() })
      .expect(200);
    await ahead.event(shop.key, id, 'NOTE', { text: 'tomorrow' }).expect(200);
    await late.event(shop.key, id, 'NOTE', { text: 'from the instance behind' }).expect(200);
    await late.evidence(shop.key, id).expect(201);
    const body = (await ahead.get(`/v1/cases/${id}/timeline?verify=full`, OPS_KEY).expect(200))
      .body as { events: { at: string }[]; integrity: { valid: boolean } };
    const ats = body.events.map((e) => Date.parse(e.at));
    expect(ats.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < ats.length; i++) expect(ats[i]).toBeGreaterThanOrEqual(ats[i - 1]);
    expect(body.integrity.valid).toBe(true);
  });
});
