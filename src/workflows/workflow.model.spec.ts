/**
 * Model-based: `getShortestPaths` (xstate/graph) to every distinct reachable snapshot of every
 * machine, each path replayed through openCase/applyEvent; from the end of each path, every event
 * of the walk is tried, so every transition of the graph is exercised once. Each step is checked
 * against the rules that hold everywhere (timers exact, closing cancels all, breaches marked).
 */
import { transition } from 'xstate';
import { TimerLedger } from './testing/case-driver';
import { describeWorkflow } from './workflow.describe';
import { walk } from './workflow.graph';
import { TIMER_OWNERS } from './fragments/timers';
import type { WorkflowContext } from './fragments/machine-setup';
import {
  applyEvent,
  openCase,
  readWorkflowContext,
  stateString,
  waitingOnOf,
} from './workflow.engine';
import { machineFor, versionsOf } from './workflow.registry';
import { walkEvents } from './workflow.examples';
import {
  BREACH_TIMER_KINDS,
  CASE_TYPES,
  type CaseType,
  type TimerKind,
  type WorkflowEvent,
  type WorkflowStep,
  type WorkflowVersion,
} from './workflow.types';

const STATES = Object.fromEntries(CASE_TYPES.map((type) => [type, describeWorkflow(type).states]));

/** What breaks the rules that hold at every step (empty when none). */
function violations(
  type: CaseType,
  version: WorkflowVersion,
  step: WorkflowStep,
  ledger: TimerLedger,
  event?: WorkflowEvent,
  /** The window's 48 h notice had gone out before this step (its next firing breaches). */
  noticeBefore = false,
): string[] {
  const context = readWorkflowContext(type, step.snapshot, version);
  const problems: string[] = [];
  const where = `${event?.type ?? 'opening'} -> ${step.state}`;
  if (step.waitingOn !== waitingOnOf(type, step.snapshot, version))
    problems.push(`${where}: waitingOn ${step.waitingOn} differs once restored`);
  if ((step.waitingOn === null) !== (step.status === 'closed'))
    problems.push(`${where}: waitingOn ${step.waitingOn} while ${step.status}`);
  if (!STATES[type].includes(step.state)) problems.push(`${where}: unknown state`);
  if ((step.status === 'closed') !== (step.state === 'closed'))
    problems.push(`${where}: status ${step.status}`);
  const live = [...ledger.live].sort().join();
  if ([...context.timers].sort().join() !== live) {
    problems.push(`${where}: context timers ${context.timers.join()} but effects leave ${live}`);
  }
  for (const kind of context.timers) {
    const owners = TIMER_OWNERS[kind];
    // Version 2: the supplier's clock runs only while the case waits on the supplier.
    const owned =
      owners === 'case' ||
      (owners === 'waiting_on_supplier'
        ? version === 1 || step.waitingOn === 'supplier'
        : owners.includes(step.state));
    if (!owned) problems.push(`${where}: ${kind} outlives its state`);
  }
  const fired = event?.type === 'TIMER_FIRED' ? (event.payload?.kind as TimerKind) : null;
  const breaches = step.effects.flatMap((e) => (e.type === 'mark_breach' ? [e.kind] : []));
  const breachesNow =
    fired !== null &&
    (BREACH_TIMER_KINDS.includes(fired) || (fired === 'platform_window' && noticeBefore));
  const expected = breachesNow ? [fired] : [];
  if (breaches.join() !== expected.join()) problems.push(`${where}: breaches ${breaches.join()}`);
  if (step.status === 'closed') {
    if (step.outcome === null) problems.push(`${where}: closed without an outcome`);
    if (ledger.live.size > 0) problems.push(`${where}: closed with live timers`);
    const told = step.effects.some(
      (e) => e.type === 'notify' && e.notification === 'merchant.case_closed',
    );
    if (!told) problems.push(`${where}: merchant not told of the closing`);
  } else if (step.outcome !== null) {
    problems.push(`${where}: open with an outcome`);
  }
  return problems;
}

/** The context the walk tells snapshots apart by: timers as a set, liability left out. */
function steering(context: WorkflowContext): object {
  const { liability: _l, liabilityByOps: _o, ...rest } = context;
  return { ...rest, timers: [...context.timers].sort() };
}

const cases = CASE_TYPES.flatMap((type) =>
  versionsOf(type).flatMap((version) =>
    walk(type, version).map(({ input, path }) => ({
      type,
      version,
      input,
      path,
      name: `${type} v${version}: ${
        path.steps
          .map((s) => s.event)
          .filter((e) => !e.type.startsWith('xstate.'))
          .map((e) =>
            e.type === 'TIMER_FIRED' ? `TIMER_FIRED(${JSON.stringify(e.payload?.kind)})` : e.type,
          )
          .join(' > ') || 'opening'
      } (${input.order.shippedAt ? 'shipped' : 'unshipped'} ${input.order.originCountry}>${input.order.destinationCountry})`,
    })),
  ),
);

describe('model: shortest paths to every reachable snapshot, and every transition from there', () => {
  it('walks every type', () => {
    expect(new Set(cases.map((c) => c.type))).toEqual(new Set(CASE_TYPES));
  });

  it.each(cases)('$name', ({ type, version, input, path }) => {
    const machine = machineFor(type, version);
    const ledger = new TimerLedger();
    let step: WorkflowStep = openCase(input, version);
    ledger.apply(step.effects);
    const problems = violations(type, version, step, ledger);

    for (const { event: e, state: expected } of path.steps) {
      if (e.type.startsWith('xstate.')) continue;
      const result = applyEvent(type, step.snapshot, e, version);
      if (!result.ok) throw new Error(`${e.type} refused in ${step.state}: ${result.error}`);
      const noticeBefore = readWorkflowContext(type, step.snapshot, version).windowNoticeSent;
      ledger.apply(
        result.effects,
        e.type === 'TIMER_FIRED' ? (e.payload?.kind as TimerKind) : undefined,
      );
      step = result;
      expect(step.state).toBe(stateString(expected.value));
      // Liability steers no transition, so the walk does not tell snapshots apart by it (its
      // dedupe keeps one path per state): compared without it.
      expect(steering(readWorkflowContext(type, step.snapshot, version))).toEqual(
        steering(expected.context),
      );
      problems.push(...violations(type, version, step, ledger, e, noticeBefore));
    }

    const end = machine.resolveState(step.snapshot as never);
    const mismatches: string[] = [];
    for (const event of walkEvents()) {
      const result = applyEvent(type, step.snapshot, event, version);
      const accepted = end.status === 'active' && end.can(event);
      if (result.ok !== accepted)
        mismatches.push(`${event.type} ${JSON.stringify(event.payload?.kind)}`);
      if (!result.ok) continue;
      // The engine's cached-scope transition gives exactly what xstate's own transition() gives.
      const [next, actions] = transition(machine, end, event);
      const same =
        JSON.stringify([result.snapshot, result.effects]) ===
        JSON.stringify([
          machine.getPersistedSnapshot(next),
          actions.filter((a) => a.type === 'record').map((a) => a.params),
        ]);
      if (!same) mismatches.push(`${event.type}: differs from xstate's transition()`);
      const branch = new TimerLedger();
      for (const kind of ledger.live) branch.live.add(kind);
      branch.apply(
        result.effects,
        event.type === 'TIMER_FIRED' ? (event.payload?.kind as TimerKind) : undefined,
      );
      const noticeBefore = readWorkflowContext(type, step.snapshot, version).windowNoticeSent;
      problems.push(...violations(type, version, result, branch, event, noticeBefore));
    }
    expect(mismatches).toEqual([]);
    expect(problems).toEqual([]);
  });
});
