import type { AddressInfo } from 'node:net';
import { runRefundExample } from '../../clients/typescript/examples/refund';
import { createRedressClient } from '../../clients/typescript/src';
import { answerChecker, committedDocument } from '../support/openapi-answers';
import { startTestApp, TestApp } from '../support/test-app';

const OPS_KEY = 'rk_test_bootstrap_client_example_0123456789';

/**
 * The typed client's example (clients/typescript/examples/refund.ts) against the real server over
 * HTTP, and every answer it gets checked against the document the client was generated from.
 */
describe('the typed client example', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  it('opens a case and walks it to a refund; every answer matches openapi.json', async () => {
    const check = answerChecker(committedDocument());
    const problems: string[] = [];
    const seen: string[] = [];
    const result = await runRefundExample(baseUrl, OPS_KEY, (client) =>
      client.use({
        async onResponse({ request, response, schemaPath }) {
          const body: unknown = await response.clone().json();
          seen.push(`${request.method} ${schemaPath} ${response.status}`);
          problems.push(
            ...check(
              request.method,
              schemaPath,
              response.status,
              body,
              Object.fromEntries(response.headers.entries()),
            ),
          );
        },
      }),
    );

    expect(problems).toEqual([]);
    expect(seen).toEqual([
      'POST /v1/merchants 201',
      'POST /v1/suppliers 201',
      'POST /v1/merchants/{id}/api-keys 201',
      'POST /v1/suppliers/{id}/api-keys 201',
      'POST /v1/cases 201',
      'POST /v1/cases/{id}/events 200',
      'POST /v1/cases/{id}/events 200',
      'GET /v1/cases/{id}/ledger 200',
      'GET /v1/cases/{id}/timeline 200',
    ]);
    expect(result.refunded).toMatchObject({ status: 'closed', outcome: 'refunded' });
    expect(result.ledger).toMatchObject({ claimed: '25.00', outstanding: '0.00' });
    expect(result.timeline.integrity.valid).toBe(true);
    expect(result.timeline.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['REQUEST_REFUND', 'REFUNDED']),
    );
  });

  it('a refusal comes back as the documented Error body', async () => {
    const check = answerChecker(committedDocument());
    const client = createRedressClient({ baseUrl, apiKey: OPS_KEY });
    const { error, response } = await client.GET('/v1/cases/{id}', {
      params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(response.status).toBe(404);
    expect(error).toMatchObject({ statusCode: 404, error: 'not_found' });
    expect(check('GET', '/v1/cases/{id}', 404, error)).toEqual([]);
    // The checker does fail a body that is not the documented one.
    expect(check('GET', '/v1/cases/{id}', 404, { statusCode: 404 })).not.toEqual([]);
  });
});
