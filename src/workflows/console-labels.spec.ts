/**
 * The merchant console (web/app) says every code the machines can show in French and English: a
 * state, outcome, timer kind, event, party, case type or diagram guard added to a machine without
 * its words fails here, not in front of a merchant.
 */
import {
  edgeParts,
  edgeWords,
  isLabelled,
  LABELS,
  labelOf,
  type LabelKind,
} from '../../web/app/labels';
import { ALL_EVENTS } from './workflow.events';
import { describeWorkflow } from './workflow.describe';
import { guardOf, isTransient, reachable, stateId, stateNodes } from './workflow.graph';
import { GUARD_WORDS } from './workflow.mermaid';
import { versionsOf } from './workflow.registry';
import { CASE_TYPES, OUTCOMES, TIMER_KINDS, type ActorKind } from './workflow.types';

/** Every kind of actor or waiting party (a new one fails to compile here until listed). */
const PARTIES: Record<ActorKind, true> = {
  merchant: true,
  supplier: true,
  ops: true,
  system: true,
  buyer: true,
};

/** The codes of every machine of the registry, in every version a case may have. */
function codesOfMachines() {
  const states = new Set<string>();
  const outcomes = new Set<string>();
  const timers = new Set<string>();
  for (const type of CASE_TYPES) {
    for (const version of versionsOf(type)) {
      for (const node of stateNodes(type, version)) {
        if (!isTransient(node)) states.add(stateId(node));
        for (const t of node.transitions.get('TIMER_FIRED') ?? []) {
          const kind = (guardOf(t)?.params as { kind?: string } | undefined)?.kind;
          if (kind) timers.add(kind);
        }
      }
      for (const outcome of reachable(type, version).outcomes) outcomes.add(outcome);
    }
  }
  return { states, outcomes, timers };
}

const missing = (kind: LabelKind, codes: Iterable<string>) =>
  [...codes].filter((code) => !isLabelled(kind, code));

describe('the merchant console labels every code of the workflows', () => {
  const machines = codesOfMachines();

  it('finds the codes it checks (the walk reads the machines)', () => {
    expect(machines.states).toContain('refund_pending');
    expect(machines.states).toContain('awaiting_decision');
    expect(machines.outcomes).toContain('refunded');
    expect(machines.timers).toContain('supplier_response');
  });

  it('has a label for every state, outcome and timer kind of every machine and version', () => {
    expect(missing('state', machines.states)).toEqual([]);
    expect(missing('outcome', [...machines.outcomes, ...OUTCOMES])).toEqual([]);
    expect(missing('deadline', [...machines.timers, ...TIMER_KINDS])).toEqual([]);
  });

  it('has a label for every event, party, case type and guard', () => {
    expect(missing('event', ALL_EVENTS)).toEqual([]);
    expect(missing('party', Object.keys(PARTIES))).toEqual([]);
    expect(missing('caseType', CASE_TYPES)).toEqual([]);
    expect(missing('guard', Object.values(GUARD_WORDS))).toEqual([]);
  });

  it('says each label in both languages, none left empty', () => {
    for (const [kind, table] of Object.entries(LABELS)) {
      for (const [code, words] of Object.entries(table as Record<string, Record<string, string>>)) {
        expect({ kind, code, fr: words.fr?.trim() || null }).toEqual({
          kind,
          code,
          fr: expect.any(String),
        });
        expect({ kind, code, en: words.en?.trim() || null }).toEqual({
          kind,
          code,
          en: expect.any(String),
        });
      }
    }
  });

  it('reads every edge of every diagram (GET /v1/workflows/:type) in words', () => {
    for (const type of CASE_TYPES) {
      for (const line of describeWorkflow(type).mermaid.split('\n')) {
        const edge = /-->\s*[\w.]+\s*:\s*(.*)$/.exec(line);
        if (!edge) continue;
        for (const part of edgeParts(edge[1])) {
          expect({ type, line, part }).toEqual({ type, line, part: expect.anything() });
          if (!part) continue;
          expect({ line, event: isLabelled('event', part.event) }).toEqual({ line, event: true });
          if (part.kind) expect(isLabelled('deadline', part.kind)).toBe(true);
          if (part.guard)
            expect({ line, guard: isLabelled('guard', part.guard) }).toEqual({
              line,
              guard: true,
            });
        }
      }
    }
  });

  it('writes an edge and a code in French and English, the unknown as the machine spells it', () => {
    expect(edgeWords('REFUNDED [in full], TIMER_FIRED(resolution_due)', 'fr')).toBe(
      'Remboursé (en totalité) · Échéance atteinte : résolution due',
    );
    expect(edgeWords('REFUNDED [in full]', 'en')).toBe('Refunded (in full)');
    expect(labelOf('state', 'refund_pending', 'fr')).toBe('remboursement attendu');
    expect(labelOf('state', 'refund_pending', 'en')).toBe('refund pending');
    expect(labelOf('state', 'not_a_state', 'fr')).toBe('not a state');
  });
});
