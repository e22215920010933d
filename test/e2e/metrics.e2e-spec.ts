import request from 'supertest';
import { Metrics } from '../../src/metrics/metrics.service';
import { Api, OPS_KEY } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const METRICS_TOKEN = 'metrics-token-for-the-scraper-0123456789';

describe('GET /metrics', () => {
  let t: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    // A second app in the same process: each has its own registry, no name clash. This one
    // guards /metrics with a token, as production must.
    second = await startTestApp({ bootstrapOpsKey: OPS_KEY, metricsToken: METRICS_TOKEN });
  });
  afterAll(async () => {
    await second.close();
    await t.close();
  });

  it('serves the Redress metrics and the process metrics, without a key', async () => {
    const api = new Api(t.server);
    const shop = await api.merchant();
    const factory = await api.supplier();
    await api.open(shop.key, factory.id, 'oversize');
    const metrics = t.app.get(Metrics);
    metrics.eventApplied('NOTE', 'applied');
    metrics.transition('oversize', 'refund_pending', 'closed');
    metrics.timerFired('supplier_response', 2.5);
    metrics.breach('supplier_response');
    metrics.webhook('accepted');

    const res = await request(t.server).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const line of [
      'redress_events_applied_total{type="NOTE",result="applied"} 1',
      'redress_transitions_total{case_type="oversize",from="refund_pending",to="closed"} 1',
      'redress_timers_fired_total{kind="supplier_response"} 1',
      'redress_timer_lag_seconds_bucket{le="5"} 1',
      'redress_breaches_total{kind="supplier_response"} 1',
      'redress_webhooks_total{result="accepted"} 1',
      'redress_notifications{state="delivered"} 0',
    ]) {
      expect(res.text).toContain(line);
    }
    // Read from the database at scrape time: the case's outbox rows (no webhookUrl).
    expect(res.text).toMatch(/redress_notifications\{state="no_endpoint"\} [1-9]/);
    expect(res.text).toContain('# TYPE redress_http_request_duration_seconds histogram');
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toContain('nodejs_heap_size_used_bytes');
  });

  it('times every request by route pattern, refused ones included', async () => {
    const id = '00000000-0000-0000-0000-000000000000';
    await request(t.server).get(`/v1/cases/${id}`).set('authorization', `Bearer ${OPS_KEY}`);
    await request(t.server).get('/v1/cases').expect(401);
    await request(t.server).get('/no/such/route').expect(404);
    const text = (await request(t.server).get('/metrics').expect(200)).text;
    expect(text).toMatch(
      /redress_http_request_duration_seconds_count\{method="GET",route="\/v1\/cases\/:id",status="404"\} 1/,
    );
    expect(text).toMatch(
      /redress_http_request_duration_seconds_count\{method="GET",route="\/v1\/cases",status="401"\} 1/,
    );
    expect(text).toMatch(
      /redress_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1/,
    );
    // The other app's registry saw none of it.
    const other = (
      await request(second.server)
        .get('/metrics')
        .set('authorization', `Bearer ${METRICS_TOKEN}`)
        .expect(200)
    ).text;
    expect(other).not.toContain('route="/v1/cases/:id"');
  });

  it('answers 401 without the right Bearer token when REDRESS_METRICS_TOKEN is set', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token',
      `Bearer ${METRICS_TOKEN}x`,
      `Basic ${METRICS_TOKEN}`,
      `Bearer ${OPS_KEY}`,
    ]) {
      const req = request(second.server).get('/metrics');
      if (authorization) void req.set('authorization', authorization);
      const res = await req.expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, error: 'unauthorized' });
      expect(res.text).not.toContain('redress_');
    }
    const ok = await request(second.server)
      .get('/metrics')
      .set('authorization', `Bearer ${METRICS_TOKEN}`)
      .expect(200);
    expect(ok.text).toContain('redress_events_applied_total');
  });
});
