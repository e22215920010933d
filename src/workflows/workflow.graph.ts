/**
 * The machines read as data: their states and events from the definitions, and what is reachable
 * from walking them with `xstate/graph` (the boot check, the outcomes of `describeWorkflow`).
 */
import type { AnyMachineSnapshot, AnyStateNode } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { WorkflowContext } from './fragments/machine-setup';
import { stateString } from './workflow.engine';
import { machineFor, versionsOf } from './workflow.registry';
import { ALL_EVENTS } from './workflow.events';
import { sampleOpenings, walkEvents } from './workflow.examples';
import {
  CASE_TYPES,
  OUTCOMES,
  TIMER_KINDS,
  type CaseType,
  type Outcome,
  type TimerKind,
} from './workflow.types';

/** A guard of a transition, as the definition holds it. */
export function guardOf(transition: {
  guard?: unknown;
}): { type: string; params?: unknown } | null {
  const guard = transition.guard;
  if (typeof guard === 'string') return { type: guard };
  if (typeof guard === 'object' && guard !== null && 'type' in guard) {
    return guard as { type: string; params?: unknown };
  }
  return typeof guard === 'function' ? { type: guard.name || 'guard' } : null;
}

/** Every state node under the root, depth first. */
export function stateNodes(type: CaseType, version?: number): AnyStateNode[] {
  const below = (node: AnyStateNode): AnyStateNode[] =>
    Object.values(node.states).flatMap((child) => [child, ...below(child)]);
  return below(machineFor(type, version).root);
}

/** A state node's id as a case's `state` string (path joined by '.'). */
export function stateId(node: AnyStateNode): string {
  return node.path.join('.');
}

/** A choice state (only `always` transitions): a case passes through it, never rests in it. */
export function isTransient(node: AnyStateNode): boolean {
  return (node.always?.length ?? 0) > 0;
}

/** The states a case can be in right after opening (a case closed at opening last). */
export function initialStates(type: CaseType): string[] {
  const start = machineFor(type).root.initial.target[0];
  if (!start) return [];
  if (!isTransient(start)) return [stateId(start)];
  const targets = (start.always ?? []).flatMap((t) => t.target ?? []);
  const open = targets.filter((node) => node.type !== 'final');
  return [...open, ...targets.filter((node) => node.type === 'final')].map(stateId);
}

/** Every event type some state of the machine accepts, in ALL_EVENTS order. */
export function eventsOf(type: CaseType): string[] {
  const own = new Set(stateNodes(type).flatMap((node) => [...node.transitions.keys()]));
  return ALL_EVENTS.filter((event) => own.has(event));
}

/** Timer kinds the machine reacts to (guards of its `TIMER_FIRED` transitions). */
export function timersOf(type: CaseType): TimerKind[] {
  const kinds = new Set<string>();
  for (const node of stateNodes(type)) {
    for (const t of node.transitions.get('TIMER_FIRED') ?? []) {
      const guard = guardOf(t);
      const kind = (guard?.params as { kind?: string } | undefined)?.kind;
      if (guard?.type === 'timerFired' && kind) kinds.add(kind);
    }
  }
  return TIMER_KINDS.filter((kind) => kinds.has(kind));
}

/** What tells two snapshots apart for the walk: the state and the context that steers it. */
export function serializeForWalk(snapshot: AnyMachineSnapshot): string {
  const c = snapshot.context as WorkflowContext;
  return JSON.stringify([
    snapshot.value,
    [...c.timers].sort(),
    c.outcome,
    c.refundOutcome,
    c.chosenResolution,
    c.appealsUsed,
    c.remindersSent,
    c.escalatedFrom,
    c.escalationClosers,
    c.supplierClockStarted ?? false,
    c.windowNoticeSent ?? false,
    c.partialRefund ?? false,
  ]);
}

/** Safety net for the walk; the machines' context is bounded by construction. */
const WALK_LIMIT = 200_000;

/** Shortest paths from each sample opening to every distinct reachable snapshot. */
export function walk(type: CaseType, version?: number) {
  const machine = machineFor(type, version);
  const events = walkEvents();
  return sampleOpenings(type).flatMap((input) =>
    getShortestPaths(machine, {
      input,
      events,
      serializeState: (snapshot) => serializeForWalk(snapshot as AnyMachineSnapshot),
      limit: WALK_LIMIT,
    }).map((path) => ({ input, path })),
  );
}

interface Reachable {
  states: Set<string>;
  outcomes: Set<Outcome>;
  /** Closed snapshots without a known outcome. */
  closedWithoutOutcome: string[];
}

const reachableCache = new Map<string, Reachable>();

export function reachable(type: CaseType, version?: number): Reachable {
  const key = `${type}@${version ?? 'current'}`;
  const cached = reachableCache.get(key);
  if (cached) return cached;
  const result: Reachable = { states: new Set(), outcomes: new Set(), closedWithoutOutcome: [] };
  for (const { path } of walk(type, version)) {
    const snapshot = path.state;
    const state = stateString(snapshot.value);
    result.states.add(state);
    if (snapshot.status !== 'done') continue;
    const outcome = snapshot.context.outcome;
    if (outcome && (OUTCOMES as readonly string[]).includes(outcome)) result.outcomes.add(outcome);
    else result.closedWithoutOutcome.push(state);
  }
  reachableCache.set(key, result);
  return result;
}

/**
 * The boot check: in every version of every machine every state is reachable, and every way into a
 * final state sets an outcome. Throws an Error naming the first problem.
 */
export function verifyWorkflows(): void {
  for (const type of CASE_TYPES) {
    for (const version of versionsOf(type)) {
      const name = `Workflow ${type} v${version}`;
      const found = reachable(type, version);
      for (const node of stateNodes(type, version)) {
        if (isTransient(node)) continue;
        if (!found.states.has(stateId(node))) {
          throw new Error(`${name}: state '${stateId(node)}' is unreachable`);
        }
      }
      if (found.closedWithoutOutcome.length > 0) {
        throw new Error(
          `${name}: final state '${found.closedWithoutOutcome[0]}' is reached without an outcome`,
        );
      }
    }
  }
}
