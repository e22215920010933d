/**
 * Mermaid `stateDiagram-v2` text generated from a machine's own definition (its state nodes and
 * their transitions), so the picture cannot drift from the code. Only transitions that change the
 * state are drawn; events that keep it (NOTE, CHOOSE_RESOLUTION, a `supplier_response` breach, a
 * customs reminder) are listed by `describeWorkflow`. Parallel transitions between the same two
 * states share one arrow.
 */
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { guardOf, isTransient, stateId, stateNodes } from './workflow.graph';
import { machineFor } from './workflow.registry';
import type { CaseType } from './workflow.types';

const id = (node: AnyStateNode) => stateId(node).replace(/\./g, '_');

/**
 * A guard as a reader of the diagram (the /ops page, a merchant) says it: the condition, not the
 * name of the function that checks it.
 */
export const GUARD_WORDS: Record<string, string> = {
  hasPhotoOrVideo: 'with a photo or video',
  mayAppeal: 'first appeal with new evidence',
  ineligible: 'shipped internationally',
  orderShipped: 'order shipped',
  orderUnshipped: 'order not shipped',
  fromSupplier: 'from the supplier',
  closedEscalatedState: 'if it ends the escalated step',
  refundCompletes: 'in full',
  escalatedRefundCompletes: 'in full if it ends the escalated step',
  escalatedPartialRefund: 'partial if it ends the escalated step',
  partialRefundExists: 'after a partial refund',
};

function label(transition: AnyTransitionDefinition, eventType: string): string {
  const guard = guardOf(transition);
  if (!guard) return eventType;
  const kind = (guard.params as { kind?: string } | undefined)?.kind;
  // A timer's guard (timerFired, timerFiredAfterNotice) is said by the timer's kind.
  if (kind) return `${eventType}(${kind})`;
  return `${eventType} [${GUARD_WORDS[guard.type] ?? guard.type}]`;
}

/**
 * The machine of a case type as a Mermaid state diagram; with `current` (a state string), that
 * state is highlighted with the `current` class.
 */
export function toMermaid(type: CaseType, current?: string): string {
  const machine = machineFor(type);
  const lines = ['stateDiagram-v2'];
  const edges = new Map<string, string[]>();
  const addEdge = (from: string, to: string, text: string) => {
    const key = `${from} --> ${to}`;
    const texts = edges.get(key) ?? [];
    if (!texts.includes(text)) texts.push(text);
    edges.set(key, texts);
  };

  const nodes = stateNodes(type);
  for (const node of nodes) {
    if (isTransient(node)) lines.push(`  state ${id(node)} <<choice>>`);
  }
  const start = machine.root.initial.target[0];
  if (start) lines.push(`  [*] --> ${id(start)}`);

  for (const node of nodes) {
    for (const t of node.always ?? []) {
      for (const target of t.target ?? []) addEdge(id(node), id(target), label(t, 'always'));
    }
    for (const [eventType, transitions] of node.transitions) {
      for (const t of transitions) {
        for (const target of t.target ?? []) addEdge(id(node), id(target), label(t, eventType));
      }
    }
  }
  for (const [key, texts] of edges) lines.push(`  ${key}: ${texts.join(', ')}`);
  for (const node of nodes) {
    if (node.type === 'final') lines.push(`  ${id(node)} --> [*]`);
  }

  if (current) {
    const node = nodes.find((n) => stateId(n) === current);
    if (node) {
      lines.push('  classDef current fill:#ffe08a,stroke:#b7791f,stroke-width:3px');
      lines.push(`  class ${id(node)} current`);
    }
  }
  return lines.join('\n') + '\n';
}
