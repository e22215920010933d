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
