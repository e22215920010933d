/**
 * Property-based (fast-check): random event sequences, 1,000 per machine. Events are random in
 * type (unknown ones included), actor, payload (valid or not) and evidence facts; half the steps
 * are steered towards an event the state accepts, so that sequences get deep into the machines.
 */
import fc from 'fast-check';
import { TimerLedger } from './testing/case-driver';
import { describeWorkflow } from './workflow.describe';
import { allowedEvents, applyEvent, openCase } from './workflow.engine';
import { ALL_EVENTS, isKnownEvent, maySend, rolesFor } from './workflow.events';
import { probeEvents, SAMPLE_PAYLOADS, sampleOpenings } from './workflow.examples';
import {
  CASE_TYPES,
  TIMER_KINDS,
  type ActorKind,
  type CaseType,
  type EvidenceFacts,
  type TimerKind,
  type WorkflowEvent,
  type WorkflowStep,
} from './workflow.types';
import type { WorkflowEventType } from './workflow.events';

const AT = '2025-03-03T09:00:00.000Z';
const ACTORS: ActorKind[] = ['merchant', 'supplier', 'ops', 'system'];
const AMPLE: EvidenceFacts = { photoOrVideo: 1_000_000, total: 1_000_000 };

const evidenceArb: fc.Arbitrary<EvidenceFacts | undefined> = fc.option(
  fc
    .tuple(fc.nat(2), fc.nat(3))
    .map(([photoOrVideo, other]) => ({ photoOrVideo, total: photoOrVideo + other })),
  { nil: undefined },
);

function validPayloadArb(type: string): fc.Arbitrary<Record<string, unknown> | undefined> {
  if (type === 'TIMER_FIRED') return fc.constantFrom(...TIMER_KINDS).map((kind) => ({ kind }));
  if (type === 'CHOOSE_RESOLUTION')
    return fc.constantFrom('reship', 'refund').map((resolution) => ({ resolution }));
  return fc.constant(SAMPLE_PAYLOADS[type as WorkflowEventType]);
}

const junkPayloadArb: fc.Arbitrary<Record<string, unknown> | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ kind: 'bogus', resolution: 'replace', amount: 'ten' }),
  fc.dictionary(
    fc.constantFrom('text', 'kind', 'reason', 'resolution', 'other'),
    fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
  ),
);

const randomEventArb: fc.Arbitrary<WorkflowEvent> = fc
  .record({
    type: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...ALL_EVENTS) },
      { weight: 1, arbitrary: fc.constantFrom('TELEPORT', 'xstate.init', '') },
    ),
    actor: fc.constantFrom(...ACTORS),
    valid: fc.boolean(),
    evidence: evidenceArb,
  })
  .chain(({ type, actor, valid, evidence }) =>
    (valid ? validPayloadArb(type) : junkPayloadArb).map((payload) => ({
      type,
      actor,
      at: AT,
      ...(payload === undefined ? {} : { payload }),
      ...(evidence === undefined ? {} : { evidence }),
    })),
  );

const memos = new Map<string, string[]>();
function memo(key: string, compute: () => string[]): string[] {
  let value = memos.get(key);
  if (!value) {
    value = compute();
    memos.set(key, value);
  }
  return value;
}

/** A step: either a random event, or (steered) one of the events the state lists, by `pick`. */
const stepArb = fc.record({
  steer: fc.boolean(),
  pick: fc.nat(),
  random: randomEventArb,
  evidence: evidenceArb,
});
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

function eventFor(type: CaseType, snapshot: unknown, step: Step): WorkflowEvent {
  if (!step.steer) return step.random;
  const listed = memo(`${type} listed ${JSON.stringify(snapshot)}`, () =>
    allowedEvents(type, snapshot),
  );
  if (listed.length === 0) return step.random;
  const eventType = listed[step.pick % listed.length];
  const probes = probeEvents(eventType);
  const probe = probes[Math.floor(step.pick / listed.length) % probes.length];
  const roles = rolesFor(eventType);
  return {
    ...probe,
    actor: roles[step.pick % roles.length],
    ...(step.evidence ? { evidence: step.evidence } : {}),
  };
}

/**
 * The oracle for allowedEvents: the sendable events applyEvent accepts, with valid payloads and
 * ample evidence. Machines have few distinct snapshots, so answers are memoized by snapshot.
 */
function acceptedBy(type: CaseType, snapshot: unknown, actor: ActorKind): string[] {
  return memo(`${type} ${actor} ${JSON.stringify(snapshot)}`, () =>
    computeAcceptedBy(type, snapshot, actor),
  );
}

function computeAcceptedBy(type: CaseType, snapshot: unknown, actor: ActorKind): string[] {
  return ALL_EVENTS.filter(
    (eventType) =>
      maySend(actor, eventType) &&
      probeEvents(eventType).some(
        (probe) => applyEvent(type, snapshot, { ...probe, actor, evidence: AMPLE }).ok,
      ),
  );
}

const REFUSALS: string[] = ['forbidden', 'invalid_transition', 'evidence_required'];

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

const STATES = Object.fromEntries(CASE_TYPES.map((type) => [type, describeWorkflow(type).states]));

describe('property: random event sequences', () => {
  it.each(CASE_TYPES)('%s: 1,000 sequences', (type) => {
    const openings = sampleOpenings(type);
    fc.assert(
      fc.property(
        fc.nat(openings.length - 1),
        fc.option(fc.constantFrom('reship' as const, 'refund' as const), { nil: undefined }),
        fc.array(stepArb, { minLength: 1, maxLength: 25 }),
        (which, preferredResolution, steps) => {
          let current: WorkflowStep = openCase({ ...openings[which], preferredResolution });
          const ledger = new TimerLedger();
          ledger.apply(current.effects);

          for (const step of steps) {
            const event = eventFor(type, current.snapshot, step);
            const result = applyEvent(type, current.snapshot, event);
            const where = `${event.actor} ${event.type} in ${current.state}`;

            if (current.status === 'closed') {
              check(!result.ok, `${where}: a closed case accepted an event`);
              check(
                allowedEvents(type, current.snapshot).length === 0,
                `${where}: a closed case lists events`,
              );
            }
            if (!result.ok) {
              check(REFUSALS.includes(result.error), `${where}: unknown refusal ${result.error}`);
              check(result.state === current.state, `${where}: refusal names another state`);
              const forbidden = isKnownEvent(event.type) && !maySend(event.actor, event.type);
              check(!forbidden || result.error === 'forbidden', `${where}: not forbidden`);
              continue;
            }
            check(
              maySend(event.actor, event.type),
              `${where}: accepted from an actor who may not send it`,
            );
            check(STATES[type].includes(result.state), `${where}: unknown state ${result.state}`);
            check(
              (result.status === 'closed') === (result.state === 'closed'),
              `${where}: status ${result.status}`,
            );
            check(
              (result.status === 'closed') === (result.outcome !== null),
              `${where}: outcome ${result.outcome}`,
            );
            const fired =
              event.type === 'TIMER_FIRED' ? (event.payload?.kind as TimerKind) : undefined;
            ledger.apply(result.effects, fired); // throws if a timer effect is not exact
            // collaboration.md: no supplier breach while the case waits on the merchant or ops,
            // and the supplier's clock runs only while the case waits on the supplier.
            const supplierBreach = result.effects.some(
              (e) => e.type === 'mark_breach' && e.kind === 'supplier_response',
            );
            check(
              !supplierBreach || current.waitingOn === 'supplier',
              `${where}: supplier breached while the case waited on ${current.waitingOn}`,
            );
            check(
              result.waitingOn === 'supplier' || !ledger.live.has('supplier_response'),
              `${where}: supplier clock running while the case waits on ${result.waitingOn}`,
            );
            current = result;
          }

          for (const actor of ACTORS) {
            expect(allowedEvents(type, current.snapshot, actor)).toEqual(
              acceptedBy(type, current.snapshot, actor),
            );
          }
          check(current.status === 'open' || ledger.live.size === 0, 'a closed case kept timers');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
