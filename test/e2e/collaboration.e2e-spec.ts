import { randomUUID } from 'node:crypto';
import { CaseRepository } from '../../src/cases/case.repository';
import { newCaseRecord, planOpening } from '../../src/cases/case-opening';
import { DueDateService } from '../../src/deadlines/due-date.service';
import { openCase, type OrderSnapshot } from '../../src/workflows';
import { Api, OPS_KEY } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { sendWebhook } from './webhook-helpers';

const HOUR = 3_600_000;
/** A Monday with no French holiday near it (after today: the test clock only moves forward). */
const MONDAY = '2027-01-04T09:00:00.000Z';

interface Deadline {
  kind: string;
  dueAt: string;
  firedAt: string | null;
}
interface CaseJson {
  id: string;
  state: string;
  status: string;
  outcome: string | null;
  waitingOn: string | null;
  messages: number;
  firstSupplierResponseAt: string | null;
  workflowVersion: number;
  allowedEvents: string[];
  deadlines: Deadline[];
}
interface Notification {
  type: string;
  party: string;
  body: Record<string, unknown>;
}

/**
 * collaboration.md on the real app and PostgreSQL: the message thread, `waitingOn`, the supplier
 * clock, `ACKNOWLEDGED`, `supplier_replied`, outcomes recorded for the supplier with proof, the new
 * deadlines at their exact instants, deadline warnings, notification bodies, and a case opened
 * under version 1 walked to its end after the upgrade.
 */
describe('collaboration: messages, the supplier clock, on-behalf outcomes, new deadlines', () => {
  let t: TestApp;
  let api: Api;
  let merchant: { id: string; key: string };
  let other: { id: string; key: string };
  let supplier: { id: string; secret: string };

  beforeAll(async () => {
    t = await startTestApp({ testClock: true, bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
    await setClock(MONDAY);
    // No webhook URLs: the test clock runs the dispatcher, and nothing may leave this machine.
    merchant = await api.merchant('Paris shop');
    other = await api.merchant('Other shop');
    supplier = await api.supplier('Lyon Widgets', { country: 'FR' });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Sets the test clock (it runs on from there) and fires what is due at that instant. */
  async function setClock(now: string): Promise<number> {
    const res = await api.post('/v1/test-clock', OPS_KEY, { now });
    expect(res.status).toBe(200);
    return res.body.fired as number;
  }
  /** `hours` after the instant of the case's entry of this type (its `at`). */
  const hoursAfter = async (id: string, type: string, hours: number) => {
    const entry = (await timeline(id)).find((e) => e.type === type);
    return new Date(new Date(entry!.at).getTime() + hours * HOUR).toISOString();
  };

  const order = (overrides: Partial<OrderSnapshot> = {}) => ({
    ref: `ORD-${Math.random().toString(36).slice(2, 8)}`,
    placedAt: '2026-09-28T10:00:00Z',
    promisedShipBy: '2026-10-20',
    shippedAt: '2026-09-30T10:00:00Z',
    trackingNumber: 'TRK-1',
    originCountry: 'FR',
    destinationCountry: 'FR',
    items: [{ sku: 'SKU-1', quantity: 2, unitPrice: '10.00' }],
    total: { amount: '20.00', currency: 'EUR' },
    ...overrides,
  });
  const open = async (type: string, o = order()): Promise<CaseJson> =>
    (await api.open(merchant.key, supplier.id, type, o)) as CaseJson;
  const get = async (id: string, key = merchant.key): Promise<CaseJson> => {
    const res = await api.get(`/v1/cases/${id}`, key);
    expect(res.status).toBe(200);
    return res.body as CaseJson;
  };
  const send = async (id: string, type: string, payload?: Record<string, unknown>) => {
    const res = await api.event(merchant.key, id, type, payload);
    expect([res.status, res.body]).toEqual([200, expect.anything()]);
    return res.body as CaseJson;
  };
  const notifications = async (id: string): Promise<Notification[]> =>
    (await api.get(`/v1/cases/${id}/notifications`, OPS_KEY)).body.items as Notification[];
  const timeline = async (id: string) => {
    const res = await api.timeline(OPS_KEY, id);
    expect(res.body.integrity.valid).toBe(true);
    return res.body.events as {
      seq: number;
      at: string;
      type: string;
      actor: Record<string, unknown>;
    }[];
  };
  const live = (c: CaseJson) =>
    c.deadlines
      .filter((d) => d.firedAt === null)
      .map((d) => d.kind)
      .sort();
  const photo = async (id: string) => {
    const res = await api.evidence(merchant.key, id);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  /** A signed supplier webhook, stamped with the server's (test) clock. */
  const webhook = async (caseId: string, type: string, data: Record<string, unknown>) => {
    const now = (await api.get('/v1/test-clock', OPS_KEY)).body.now as string;
    const timestamp = Math.floor(new Date(now).getTime() / 1000);
    return sendWebhook(
      t.server,
      supplier.id,
      supplier.secret,
      { type, caseId, data },
      { timestamp },
    );
  };

  describe('the message thread', () => {
    it('merchant, supplier (webhook) and ops write to one thread; each side is told', async () => {
      const c = await open('oversize');

      const posted = await api.post(`/v1/cases/${c.id}/messages`, merchant.key, {
        text: 'Can you refund this week?',
      });
      expect(posted.status).toBe(201);
      expect(posted.body).toEqual({
        seq: expect.any(Number),
        at: expect.any(String),
        from: { kind: 'merchant', id: merchant.id },
        text: 'Can you refund this week?',
      });
      expect((await webhook(c.id, 'message.created', { text: 'Yes, Thursday' })).status).toBe(200);
      expect(
        (await api.post(`/v1/cases/${c.id}/messages`, OPS_KEY, { text: 'Noted' })).status,
      ).toBe(201);

      const thread = await api.get(`/v1/cases/${c.id}/messages`, merchant.key);
      expect(thread.status).toBe(200);
      expect(
        thread.body.items.map((m: { from: { kind: string }; text: string }) => [
          m.from.kind,
          m.text,
        ]),
      ).toEqual([
        ['merchant', 'Can you refund this week?'],
        ['supplier', 'Yes, Thursday'],
        ['ops', 'Noted'],
      ]);
      expect(thread.body.items[0].seq).toBe(posted.body.seq);

      const after = await get(c.id);
      expect(after).toMatchObject({ state: 'refund_pending', messages: 3, waitingOn: 'supplier' });
      expect(after.firstSupplierResponseAt).toBe(thread.body.items[1].at);
      // The supplier's message answered: its 24 h clock is cleared, refund_due still runs.
      expect(live(after)).toEqual(['refund_due']);

      const sent = (await notifications(c.id)).filter((n) => n.type.endsWith('.message'));
      // Ops' one message tells both sides, in one step (no order between the two rows).
      expect(sent.map((n) => [n.type, n.body.text]).sort()).toEqual([
        ['merchant.message', 'Noted'],
        ['merchant.message', 'Yes, Thursday'],
        ['supplier.message', 'Can you refund this week?'],
        ['supplier.message', 'Noted'],
      ]);
      expect(sent.find((n) => n.type === 'supplier.message')!.body).toMatchObject({
        caseId: c.id,
        caseType: 'oversize',
        state: 'refund_pending',
        waitingOn: 'supplier',
        orderRef: expect.any(String),
        items: [{ sku: 'SKU-1', quantity: 2, unitPrice: '10.00' }],
        // The earliest the supplier is under when the merchant wrote: its 24 h answer.
        deadline: { kind: 'supplier_response', dueAt: expect.any(String) },
      });
    });

    it('refuses a blank or too long text (400), another merchant (404), a closed case (409)', async () => {
      const c = await open('oversize');
      const path = `/v1/cases/${c.id}/messages`;
      expect((await api.post(path, merchant.key, { text: '   ' })).status).toBe(400);
      expect((await api.post(path, merchant.key, { text: 'x'.repeat(10_001) })).status).toBe(400);
      expect((await api.post(path, merchant.key, { text: 'hi', extra: 1 })).status).toBe(400);
      expect((await api.post(path, other.key, { text: 'hi' })).status).toBe(404);
      expect((await api.get(path, other.key)).status).toBe(404);
      expect((await api.post(path, null, { text: 'hi' })).status).toBe(401);

      await send(c.id, 'WITHDRAW');
      const closed = await api.post(path, merchant.key, { text: 'Too late?' });
      expect([closed.status, closed.body.error]).toEqual([409, 'invalid_transition']);
      expect((await get(c.id)).messages).toBe(0);
    });
  });

  describe('the supplier clock', () => {
    it('waits while the merchant must act; runs 24 h from the moment the supplier must', async () => {
      const c = await open('damaged_item');
      expect(c.waitingOn).toBe('merchant');
      expect(live(c)).toEqual(['evidence_due']);

      await photo(c.id);
      const verifying = await send(c.id, 'SUBMIT_EVIDENCE');

      expect(verifying).toMatchObject({ state: 'awaiting_verification', waitingOn: 'supplier' });
      expect(live(verifying)).toEqual(['supplier_response', 'verification_due']);
      const due = Object.fromEntries(verifying.deadlines.map((d) => [d.kind, d.dueAt]));
      expect(due.supplier_response).toBe(await hoursAfter(c.id, 'SUBMIT_EVIDENCE', 24));
      // 3 business days of the supplier's calendar (France), end of day: Thursday, Paris time.
      expect(due.verification_due).toBe('2027-01-07T22:59:59.999Z');

      // The verification request carries the evidence, with hashes and where to read it.
      const request = (await notifications(c.id)).find(
        (n) => n.type === 'supplier.verification_requested',
      );
      expect(request?.body).toMatchObject({
        waitingOn: 'supplier',
        deadline: { kind: 'supplier_response', dueAt: due.supplier_response },
        evidence: [
          {
            id: expect.any(String),
            kind: 'photo',
            sha256: null,
            contentUrl: expect.stringMatching(/^https:\/\//),
          },
        ],
      });
    });

    it('ACKNOWLEDGED by the supplier (webhook case.acknowledged) clears it and moves nothing', async () => {
      const c = await open('oversize');
      expect(live(c)).toEqual(['refund_due', 'supplier_response']);

      expect((await webhook(c.id, 'case.acknowledged', {})).status).toBe(200);

      const after = await get(c.id);
      expect(after.state).toBe('refund_pending');
      expect(live(after)).toEqual(['refund_due']);
      expect(after.firstSupplierResponseAt).not.toBeNull();
      expect((await timeline(c.id)).map((e) => e.type)).toContain('ACKNOWLEDGED');
    });
  });

  describe('unresponsive_supplier', () => {
    it('the supplier’s message is its reply: supplier_replied, where the merchant decides', async () => {
      const c = await open(
        'unresponsive_supplier',
        order({ shippedAt: null, trackingNumber: null }),
      );
      expect(
        (await webhook(c.id, 'message.created', { text: 'Sorry, shipping Monday' })).status,
      ).toBe(200);

      const replied = await get(c.id);
      expect(replied).toMatchObject({
        state: 'supplier_replied',
        waitingOn: 'merchant',
        status: 'open',
      });
      expect(replied.allowedEvents).toEqual([
        'WITHDRAW',
        'NOTE',
        'MESSAGE',
        'REQUEST_REFUND',
        'SWITCH_SUPPLIER',
        'BUYER_CONTACTED',
        'BUYER_ANSWERED',
        'BUYER_REFUNDED',
      ]);
      expect(live(replied)).toEqual(['decision_reminder']);
      expect((await send(c.id, 'WITHDRAW', { reason: 'Solved' })).outcome).toBe('withdrawn');
    });
  });

  describe('outcomes the merchant records for the supplier', () => {
    it('needs the flag (403 without), a proof of this case (400), and says who acted', async () => {
      const c = await open('wrong_item');
      await photo(c.id);
      await send(c.id, 'SUBMIT_EVIDENCE');
      const elsewhere = await open('wrong_item');
      const foreignProof = await photo(elsewhere.id);
      const proof = await photo(c.id);

      const bare = await api.event(merchant.key, c.id, 'VERIFICATION_CONFIRMED', {});
      expect(bare.status).toBe(403);
      const unproven = await api.event(merchant.key, c.id, 'VERIFICATION_CONFIRMED', {
        onBehalfOfSupplier: true,
      });
      expect([unproven.status, unproven.body.details[0].field]).toEqual([
        400,
        'payload.proofEvidenceId',
      ]);
      const foreign = await api.event(merchant.key, c.id, 'VERIFICATION_CONFIRMED', {
        onBehalfOfSupplier: true,
        proofEvidenceId: foreignProof,
      });
      expect([foreign.status, foreign.body.error]).toEqual([400, 'validation_failed']);
      expect((await get(c.id)).state).toBe('awaiting_verification');

      const confirmed = await send(c.id, 'VERIFICATION_CONFIRMED', {
        onBehalfOfSupplier: true,
        proofEvidenceId: proof,
      });

      expect(confirmed.state).toBe('resolution_pending');
      expect(confirmed.firstSupplierResponseAt).not.toBeNull();
      const entry = (await timeline(c.id)).find((e) => e.type === 'VERIFICATION_CONFIRMED');
      expect(entry?.actor).toEqual({ kind: 'merchant', id: merchant.id, onBehalfOf: 'supplier' });
    });
  });

  describe('new deadlines and warnings, at their instants', () => {
    it('ops_due: 2 business days of the merchant’s calendar; a breach, and the case stays escalated', async () => {
      const c = await open('oversize');
      const escalated = (await api.event(OPS_KEY, c.id, 'ESCALATE', { reason: 'Supplier silent' }))
        .body as CaseJson;
      expect(escalated).toMatchObject({ state: 'escalated', waitingOn: 'ops' });
      const opsDue = escalated.deadlines.find((d) => d.kind === 'ops_due' && !d.firedAt);
      // 2 business days of the merchant's calendar (France), end of day: Wednesday, Paris time.
      expect(opsDue?.dueAt).toBe('2027-01-06T22:59:59.999Z');
      const told = (await notifications(c.id)).find((n) => n.type === 'merchant.escalated');
      expect(told?.body.reason).toBe('Supplier silent');

      // Its warning 24 h before, to ops (no endpoint: the row is the queue).
      await setClock('2027-01-05T22:58:59.999Z');
      expect((await notifications(c.id)).some((n) => n.type === 'ops.deadline_warning')).toBe(
        false,
      );
      await setClock('2027-01-05T22:59:59.999Z');
      const warning = (await notifications(c.id)).find((n) => n.type === 'ops.deadline_warning');
      expect(warning).toMatchObject({
        party: 'ops',
        body: { deadline: { kind: 'ops_due', dueAt: '2027-01-06T22:59:59.999Z' } },
      });

      await setClock('2027-01-06T22:59:59.999Z');
      const after = await get(c.id);
      expect(after.state).toBe('escalated');
      const entries = await timeline(c.id);
      expect(entries.filter((e) => e.type === 'SLA_BREACHED').map((e) => e.actor)).toHaveLength(1);
    });

    it('decision_reminder: 3 days after awaiting_decision, a reminder and nothing else', async () => {
      const c = await open('out_of_stock', order({ shippedAt: null, trackingNumber: null }));
      const reminder = c.deadlines.find((d) => d.kind === 'decision_reminder');
      expect(reminder?.dueAt).toBe(await hoursAfter(c.id, 'CASE_OPENED', 72));

      await setClock(reminder!.dueAt);

      const after = await get(c.id);
      expect(after.state).toBe('awaiting_decision');
      expect((await notifications(c.id)).map((n) => n.type)).toContain(
        'merchant.decision_reminder',
      );
      expect((await timeline(c.id)).some((e) => e.type === 'SLA_BREACHED')).toBe(false);
    });

    it('a refund_due warning goes to the supplier 24 h before, once', async () => {
      const c = await open('oversize');
      const due = c.deadlines.find((d) => d.kind === 'refund_due')!.dueAt;
      // The supplier clock's own warning went at once: it had only 24 h.
      const first = await notifications(c.id);
      expect(first.filter((n) => n.type === 'supplier.deadline_warning')).toHaveLength(1);

      const warnAt = new Date(new Date(due).getTime() - 24 * HOUR);
      await setClock(new Date(warnAt.getTime() - 60_000).toISOString());
      const early = await notifications(c.id);
      expect(early.filter((n) => n.type === 'supplier.deadline_warning')).toHaveLength(1);
      await setClock(warnAt.toISOString());
      await setClock(new Date(warnAt.getTime() + 60_000).toISOString());

      const warnings = (await notifications(c.id)).filter(
        (n) => n.type === 'supplier.deadline_warning',
      );
      expect(warnings.map((n) => n.body.deadline)).toEqual([
        { kind: 'supplier_response', dueAt: expect.any(String) },
        { kind: 'refund_due', dueAt: due },
      ]);
    });
  });

  describe('a case opened under version 1', () => {
    it('keeps its version after the upgrade and walks to its end under the old rules', async () => {
      // Written as the app before the upgrade wrote it: the version 1 machine's opening, through
      // the same planner and the same one statement.
      const repository = t.app.get(CaseRepository);
      const due = t.app.get(DueDateService);
      const now = new Date((await api.get('/v1/test-clock', OPS_KEY)).body.now as string);
      const o = order();
      const command = {
        type: 'damaged_item' as const,
        merchantId: merchant.id,
        supplierId: supplier.id,
        order: o,
      };
      const opened = openCase({ type: 'damaged_item', order: o, openedAt: now.toISOString() }, 1);
      const parties = await repository.parties(merchant.id, supplier.id);
      const fresh = { ...newCaseRecord(command, parties!, randomUUID(), now), workflow_version: 1 };
      const planned = planOpening(fresh, opened, command, {
        now,
        resolveDue: (rule, from, calendars) => due.resolve(rule, from, calendars),
      });
      planned.write.insert!.workflowVersion = 1;
      expect((await repository.writeStep(repository.manager, planned.write)).written).toBe(true);
      const id = fresh.id;

      const old = await get(id);
      expect(old).toMatchObject({ workflowVersion: 1, state: 'awaiting_evidence' });
      // Version 1's clock ran from the opening, case-wide.
      expect(live(old)).toEqual(['evidence_due', 'supplier_response']);

      await photo(id);
      const verifying = await send(id, 'SUBMIT_EVIDENCE');
      expect(live(verifying)).toEqual(['supplier_response']); // no verification_due in version 1
      expect((await webhook(id, 'verification.confirmed', {})).status).toBe(200);
      expect(
        (await webhook(id, 'refund.completed', { amount: '20.00', currency: 'EUR' })).status,
      ).toBe(200);

      const closed = await get(id);
      expect(closed).toMatchObject({
        workflowVersion: 1,
        status: 'closed',
        outcome: 'refunded',
        waitingOn: null,
      });
      // Opened now, the same type gets version 2.
      expect((await open('damaged_item')).workflowVersion).toBe(2);
    });
  });
});
