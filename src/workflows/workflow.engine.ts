/**
 * The pure workflow functions the case service calls: open a case, apply an event, list what a
 * state accepts. XState's pure transition (see workflow.transition.ts) computes the next snapshot and
 * hands back the recorded effects; nothing is executed here, and no clock is read.
 */
import { getNextTransitions, type StateValue } from 'xstate';
import type { CaseMachine, CaseSnapshot } from './fragments/case-machine';
import type { WorkflowContext } from './fragments/machine-setup';
import { machineFor } from './workflow.registry';
import { ALL_EVENTS, isKnownEvent, maySend } from './workflow.events';
import { validateOrderForType } from './workflow.orders';
import { pureInitialTransition, pureTransition } from './workflow.transition';
import { probeEvents } from './workflow.examples';
import type {
  ActorKind,
  ApplyResult,
  CaseType,
  Effect,
  OpenCaseInput,
  WaitingOn,
  WorkflowEvent,
  WorkflowStep,
} from './workflow.types';

/** Evidence facts that satisfy every evidence guard: tells `evidence_required` from the rest. */
const AMPLE_EVIDENCE = { photoOrVideo: Number.MAX_SAFE_INTEGER, total: Number.MAX_SAFE_INTEGER };

const EVIDENCE_MESSAGES: Record<string, string> = {
  SUBMIT_EVIDENCE: 'SUBMIT_EVIDENCE needs at least one photo or video attached to the case',
  APPEAL: 'APPEAL needs new evidence attached to the case since the verification was rejected',
};

/**
 * Opens a case: the starting snapshot, state and effects (timers, notifications). Throws when the
 * order does not fit the type: callers check {@link validateOrderForType} first (a 422).
 */
export function openCase(input: OpenCaseInput, version?: number): WorkflowStep {
  const problem = validateOrderForType(input.type, input.order);
  if (problem !== null) throw new Error(`openCase: ${problem}`);
  const machine = machineFor(input.type, version);
  const [snapshot, actions] = pureInitialTransition(machine, input);
  return stepOf(machine, snapshot, actions);
}

/**
 * Applies one event to a persisted snapshot. Refusals are results, never exceptions:
 * `forbidden` (the actor's role may not send this event type), `invalid_transition` (the state
 * does not accept it, guards included, or the case is closed), `evidence_required` (it would be
 * accepted with the evidence the rule asks for). A refusal's `allowedEvents` are the event's actor's.
 * The payload is expected to have passed `validateEventPayload` (a 400 comes first); the
 * machines read it defensively. `event.evidence` should be given on every event: the facts at a
 * `VERIFICATION_REJECTED` are what an `APPEAL` must exceed (missing counts as none).
 * `version` is the case's `workflowVersion` (the current one unless told).
 */
export function applyEvent(
  type: CaseType,
  snapshot: unknown,
  event: WorkflowEvent,
  version?: number,
): ApplyResult {
  const machine = machineFor(type, version);
  const current = restore(machine, snapshot);
  const refuse = (error: 'forbidden' | 'invalid_transition'): ApplyResult => ({
    ok: false,
    error,
    state: stateString(current.value),
    allowedEvents: acceptedEvents(current, event.actor),
  });

  if (!maySend(event.actor, event.type)) {
    return refuse(isKnownEvent(event.type) ? 'forbidden' : 'invalid_transition');
  }
  if (current.status !== 'active') return refuse('invalid_transition');
  if (!current.can(event)) {
    if (current.can({ ...event, evidence: AMPLE_EVIDENCE })) {
      return {
        ok: false,
        error: 'evidence_required',
        state: stateString(current.value),
        allowedEvents: acceptedEvents(current, event.actor),
        message:
          EVIDENCE_MESSAGES[event.type] ?? `${event.type} needs evidence attached to the case`,
      };
    }
    return refuse('invalid_transition');
  }
  const [next, actions] = pureTransition(machine, current, event);
  return { ok: true, ...stepOf(machine, next, actions) };
}

/**
 * The events the current state accepts, for that actor when one is given, in {@link ALL_EVENTS}
 * order. Guards are considered with a valid payload and the evidence the rules ask for: so
 * `SUBMIT_EVIDENCE` is listed before any photo is attached (it is what the state waits for, and
 * the refusal then says `evidence_required`), while `APPEAL` disappears once the one appeal is
 * used. `TIMER_FIRED` is only the system's (listed when a live timer would be accepted).
 */
export function allowedEvents(
  type: CaseType,
  snapshot: unknown,
  actor?: ActorKind,
  version?: number,
): string[] {
  return acceptedEvents(restore(machineFor(type, version), snapshot), actor);
}

/** The case's context as persisted (outcome, resolutions, appeals, live timers...). */
export function readWorkflowContext(
  type: CaseType,
  snapshot: unknown,
  version?: number,
): WorkflowContext {
  return restore(machineFor(type, version), snapshot).context;
}

/** The machine state of a persisted snapshot, as a string (nested states joined by '.'). */
export function stateOf(type: CaseType, snapshot: unknown, version?: number): string {
  return stateString(restore(machineFor(type, version), snapshot).value);
}

/** Whom a persisted case waits on (its state's `meta.waitingOn`); null once closed. */
export function waitingOnOf(type: CaseType, snapshot: unknown, version?: number): WaitingOn | null {
  return waitingOn(restore(machineFor(type, version), snapshot));
}

function waitingOn(snapshot: CaseSnapshot): WaitingOn | null {
  if (snapshot.status !== 'active') return null;
  for (const meta of Object.values(snapshot.getMeta()) as ({ waitingOn?: WaitingOn } | undefined)[])
    if (meta?.waitingOn) return meta.waitingOn;
  return null;
}

function acceptedEvents(snapshot: CaseSnapshot, actor: ActorKind | undefined): string[] {
  if (snapshot.status !== 'active') return [];
  // Only the event types the active states have transitions for can be accepted at all.
  const own = new Set(
    getNextTransitions(snapshot).map((transition): string => transition.eventType as string),
  );
  return ALL_EVENTS.filter(
    (type) =>
      own.has(type) &&
      (actor === undefined || maySend(actor, type)) &&
      probeEvents(type).some((probe) => snapshot.can({ ...probe, evidence: AMPLE_EVIDENCE })),
  );
}

function restore(machine: CaseMachine, snapshot: unknown): CaseSnapshot {
  if (typeof snapshot !== 'object' || snapshot === null || !('value' in snapshot)) {
    throw new Error(`Not a persisted ${machine.id} snapshot`);
  }
  try {
    return machine.resolveState(snapshot as Parameters<CaseMachine['resolveState']>[0]);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Unreadable ${machine.id} snapshot: ${reason}`);
  }
}

export function stateString(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, child]) => (child === undefined ? key : `${key}.${stateString(child)}`))
    .join(',');
}

function stepOf(
  machine: CaseMachine,
  snapshot: CaseSnapshot,
  actions: readonly { type: string; params?: unknown }[],
): WorkflowStep {
  const context = snapshot.context;
  let allowed: Map<ActorKind | undefined, string[]> | undefined;
  const effects = actions
    .filter((action) => action.type === 'record')
    .map((action) => ({ ...(action.params as Effect) }));
  return {
    snapshot: machine.getPersistedSnapshot(snapshot),
    state: stateString(snapshot.value),
    status: snapshot.status === 'active' ? 'open' : 'closed',
    outcome: context.outcome,
    phase: context.phase,
    effects,
    context,
    waitingOn: waitingOn(snapshot),
    // Read by the case's view once per answer: kept with the resolved snapshot, so the view need
    // not restore it again.
    allowedEvents: (actor) => {
      allowed ??= new Map();
      let events = allowed.get(actor);
      if (!events) allowed.set(actor, (events = acceptedEvents(snapshot, actor)));
      return events;
    },
    ...(context.outcome === 'ineligible' && context.ineligibleReason
      ? { reason: context.ineligibleReason }
      : {}),
  };
}
