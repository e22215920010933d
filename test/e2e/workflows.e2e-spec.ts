import { Api, OPS_KEY } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('GET /v1/workflows', () => {
  let t: TestApp;
  let api: Api;
  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
  });
  afterAll(() => t.close());

  it('lists the twelve case types with phase, version, states, events and a diagram', async () => {
    const res = await api.get('/v1/workflows', OPS_KEY).expect(200);
    expect(res.body.items.map((w: { type: string }) => w.type).sort()).toEqual(
      [
        'address_error',
        'buyer_cancellation',
        'customs_delay',
        'damaged_item',
        'late_shipment',
        'lost_parcel',
        'missing_item',
        'out_of_stock',
        'oversize',
        'payment_dispute',
        'unresponsive_supplier',
        'wrong_item',
      ].sort(),
    );
    for (const workflow of res.body.items) {
      expect(workflow).toMatchObject({ version: 2, phase: expect.stringMatching(/_shipment$/) });
      expect(workflow.events).toEqual(expect.arrayContaining(['WITHDRAW', 'NOTE', 'ESCALATE']));
      expect(workflow.states.length).toBeGreaterThan(1);
      expect(workflow.mermaid).toMatch(/^stateDiagram-v2\n/);
    }
    const late = res.body.items.find((w: { type: string }) => w.type === 'late_shipment');
    expect(late.states).toEqual(
      expect.arrayContaining([
        'awaiting_shipment',
        'supplier_nudged',
        'awaiting_decision',
        'escalated',
      ]),
    );
    const lost = res.body.items.find((w: { type: string }) => w.type === 'lost_parcel');
    expect(lost).toMatchObject({
      phase: 'post_shipment',
      initialStates: ['awaiting_carrier'],
      states: ['awaiting_carrier', 'resolution_pending', 'escalated', 'closed'],
    });
    expect(lost.outcomes).toEqual(expect.arrayContaining(['found', 'delivered', 'refunded']));
    expect(lost.mermaid).toContain('awaiting_carrier --> resolution_pending');
    const dispute = res.body.items.find((w: { type: string }) => w.type === 'payment_dispute');
    expect(dispute).toMatchObject({
      initialStates: ['preparing_response'],
      states: ['preparing_response', 'awaiting_decision', 'escalated', 'closed'],
      outcomes: expect.arrayContaining(['won', 'lost', 'accepted']),
      timers: expect.arrayContaining(['external_due', 'platform_window', 'buyer_response']),
    });
  });

  it('describes one type with a Mermaid diagram naming every state, for any valid key', async () => {
    const merchant = await api.merchant();
    const res = await api.get('/v1/workflows/damaged_item', merchant.key).expect(200);
    expect(res.body.type).toBe('damaged_item');
    expect(res.body.mermaid).toMatch(/^stateDiagram-v2/);
    for (const state of res.body.states as string[]) {
      expect(res.body.mermaid).toContain(state.split('.').pop());
    }
    expect(res.body.initialStates).toEqual(['awaiting_evidence']);
  });

  it('answers 404 for an unknown type and 401 without a key', async () => {
    const res = await api.get('/v1/workflows/lost_luggage', OPS_KEY).expect(404);
    expect(res.body.error).toBe('not_found');
    await api.get('/v1/workflows', null).expect(401);
  });
});
