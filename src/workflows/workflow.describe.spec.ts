import { describeWorkflow, listWorkflows } from './workflow.describe';
import { guardOf, stateId, stateNodes, verifyWorkflows } from './workflow.graph';
import { GUARD_WORDS, toMermaid } from './workflow.mermaid';
import { machineId, workflowVersion } from './workflow.registry';
import { CASE_TYPES } from './workflow.types';

describe('verifyWorkflows', () => {
  it('passes: every state reachable, every way to closed sets an outcome', () => {
    expect(() => verifyWorkflows()).not.toThrow();
  });
});

describe('describeWorkflow', () => {
  it.each(CASE_TYPES)('%s names its states, the common events, outcomes and timers', (type) => {
    const d = describeWorkflow(type);

    expect(d).toMatchObject({ type, version: 2, machineId: type, finalStates: ['closed'] });
    expect(d.states).toEqual(expect.arrayContaining([...d.initialStates, 'escalated', 'closed']));
    expect(d.events).toEqual(
      expect.arrayContaining(['WITHDRAW', 'NOTE', 'ESCALATE', 'TIMER_FIRED']),
    );
    expect(d.outcomes).toEqual(
      expect.arrayContaining(['withdrawn', 'force_closed', 'written_off']),
    );
    expect(d.timers).toContain('supplier_response');
    expect(d.roles.NOTE).toEqual(['merchant', 'supplier', 'ops']);
    expect(d.payloads.NOTE).toEqual({ required: ['text'], optional: [] });
    expect(d.payloads.WITHDRAW).toEqual({ required: [], optional: ['reason'] });
    expect(d.mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
  });

  it('spells the spec’s states and outcomes', () => {
    expect(describeWorkflow('wrong_item')).toMatchObject({
      phase: 'post_shipment',
      phaseFollowsOrder: false,
      initialStates: ['awaiting_evidence'],
      states: [
        'awaiting_evidence',
        'awaiting_verification',
        'verification_rejected',
        'resolution_pending',
        'escalated',
        'closed',
      ],
      outcomes: [
        'withdrawn',
        'refunded',
        'reshipped',
        'force_closed',
        'expired',
        'rejected',
        'partially_refunded',
        'written_off',
      ],
      timers: [
        'supplier_response',
        'resolution_due',
        'evidence_due',
        'appeal_due',
        'verification_due',
        'ops_due',
        'platform_window',
        'buyer_response',
      ],
    });
    expect(describeWorkflow('late_shipment').states).toEqual([
      'awaiting_shipment',
      'supplier_nudged',
      'awaiting_decision',
      'refund_pending',
      'escalated',
      'closed',
    ]);
    expect(describeWorkflow('buyer_cancellation')).toMatchObject({
      phase: 'pre_shipment',
      phaseFollowsOrder: true,
      initialStates: ['interception_requested', 'refund_pending', 'closed'],
      states: ['interception_requested', 'refund_pending', 'escalated', 'closed'],
    });
    expect(describeWorkflow('address_error').outcomes).toContain('address_corrected');
    expect(describeWorkflow('buyer_cancellation').outcomes).not.toContain('address_corrected');
  });

  it('listWorkflows has one entry per type (twelve), each with its diagram', () => {
    const list = listWorkflows();

    expect(list.map((w) => w.type)).toEqual([...CASE_TYPES]);
    expect(list).toHaveLength(12);
    for (const w of list) expect(w.mermaid).toBe(describeWorkflow(w.type).mermaid);
  });

  it('versions start at 1 and machine ids are the types', () => {
    for (const type of CASE_TYPES) {
      expect(workflowVersion(type)).toBe(2);
      expect(machineId(type)).toBe(type);
    }
  });
});

describe('toMermaid', () => {
  it.each(CASE_TYPES)('%s names every state of the machine', (type) => {
    const text = toMermaid(type);

    for (const node of stateNodes(type)) expect(text).toMatch(new RegExp(`\\b${stateId(node)}\\b`));
    expect(text).toContain('closed --> [*]');
    expect(text).not.toContain('classDef');
  });

  it('draws transitions with their events and timers, one arrow per pair of states', () => {
    const text = toMermaid('late_shipment');

    expect(text).toContain('  [*] --> awaiting_shipment');
    expect(text).toContain('  awaiting_shipment --> supplier_nudged: TIMER_FIRED(late_2d)\n');
    expect(text).toContain('  supplier_nudged --> awaiting_decision: TIMER_FIRED(late_4d)\n');
    expect(text).toContain('  awaiting_shipment --> closed: WITHDRAW, SHIPPED\n');
    expect(text.match(/awaiting_shipment --> closed/g)).toHaveLength(1);
  });

  it('shows the opening choice of a type that starts where the order says', () => {
    const text = toMermaid('address_error');

    expect(text).toContain('state opening <<choice>>');
    expect(text).toContain('opening --> closed: always [shipped internationally]');
    expect(text).toContain(
      'refund_pending --> closed: WITHDRAW, REFUNDED [in full], ADDRESS_CORRECTED [order not shipped], ACCEPT_PARTIAL [after a partial refund]',
    );
  });

  it('says every guard in words, never by its function name (the /ops page shows them)', () => {
    for (const type of CASE_TYPES) {
      const guards = [...toMermaid(type).matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
      for (const words of guards) {
        if (words === '*') continue; // Mermaid's start and end: [*]
        expect({ type, words }).toEqual({ type, words: expect.stringMatching(/^[a-z ]+$/) });
      }
    }
    // Every guard of every machine has its words (a timer's guard is said by its kind).
    const named = new Set<string>();
    for (const type of CASE_TYPES) {
      for (const node of stateNodes(type)) {
        const transitions = [...(node.always ?? []), ...[...node.transitions.values()].flat()];
        for (const guard of transitions.map(guardOf)) {
          if (guard && !(guard.params as { kind?: string } | undefined)?.kind)
            named.add(guard.type);
        }
      }
    }
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((g) => !GUARD_WORDS[g])).toEqual([]);
  });

  it('highlights the current state', () => {
    const text = toMermaid('oversize', 'escalated');

    expect(text).toMatch(/classDef current /);
    expect(text).toContain('class escalated current');
    expect(toMermaid('oversize', 'nowhere')).not.toContain('class ');
  });
});
