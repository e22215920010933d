/**
 * XState's pure transition, without its per-call cost. `transition()` and `initialTransition()`
 * from 'xstate' build a throwaway actor on every call, and that actor eagerly computes the
 * machine's initial state, more than an event's whole budget (BENCHMARKS.md, "Analysis"). This
 * is the same computation, `machine.transition(snapshot, event, scope)` (the ActorLogic API those
 * functions call), with one inert scope per machine, kept: nothing is ever executed through it,
 * the actions are only collected and handed back, and no machine here spawns or sends to actors.
 */
import { createActor, type ActorScope, type ExecutableActionObject } from 'xstate';
import type { CaseMachine, CaseSnapshot } from './fragments/case-machine';
import { sampleOpenings } from './workflow.examples';
import type { CaseType, OpenCaseInput, WorkflowEvent } from './workflow.types';

type Scope = ActorScope<CaseSnapshot, WorkflowEvent>;

const scopes = new WeakMap<CaseMachine, Scope>();

function inertScope(machine: CaseMachine): Scope {
  let scope = scopes.get(machine);
  if (!scope) {
    // Never started: it only lends the scope a `self` and a `system`.
    const self = createActor(machine, { input: sampleOpenings(machine.id as CaseType)[0] });
    scope = {
      self,
      id: '',
      sessionId: '',
      logger: () => undefined,
      defer: () => undefined,
      emit: () => undefined,
      system: self.system,
      stopChild: () => undefined,
      actionExecutor: () => undefined,
    };
    scopes.set(machine, scope);
  }
  return scope;
}

type Collected = [CaseSnapshot, ExecutableActionObject[]];

function collecting(machine: CaseMachine) {
  const actions: ExecutableActionObject[] = [];
  const scope: Scope = {
    ...inertScope(machine),
    actionExecutor: (action) => void actions.push(action),
  };
  return { scope, actions };
}

/** Like xstate's `initialTransition(machine, input)`. */
export function pureInitialTransition(machine: CaseMachine, input: OpenCaseInput): Collected {
  const { scope, actions } = collecting(machine);
  return [machine.getInitialSnapshot(scope, input), actions];
}

/** Like xstate's `transition(machine, snapshot, event)`. */
export function pureTransition(
  machine: CaseMachine,
  snapshot: CaseSnapshot,
  event: WorkflowEvent,
): Collected {
  const { scope, actions } = collecting(machine);
  return [machine.transition(snapshot, event, scope), actions];
}
