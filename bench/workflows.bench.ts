/**
 * Workflow throughput on one core, per second of CPU time (a plain script, no jest):
 *   npx ts-node --transpile-only bench/workflows.bench.ts
 * Prints JSON. `claimFlowTransitionsPerSec`: pure transitions along the claim flow on live
 * snapshots; `roundsPerSec`: what the case service does per event, restore the snapshot from JSON
 * text, apply the event, persist the snapshot to JSON text (target: 20,000/s).
 */
import { transition, type AnyMachineSnapshot } from 'xstate';
import { applyEvent, openCase, type WorkflowEvent } from '../src/workflows';
import { machineFor } from '../src/workflows/workflow.registry';
import { pureInitialTransition, pureTransition } from '../src/workflows/workflow.transition';
import { sampleOrder, SHIPPED } from '../src/workflows/workflow.examples';

const AT = '2025-03-03T09:00:00.000Z';
const input = { type: 'damaged_item' as const, order: sampleOrder(SHIPPED), openedAt: AT };
const FLOW: WorkflowEvent[] = [
  { type: 'SUBMIT_EVIDENCE', actor: 'merchant', at: AT, evidence: { photoOrVideo: 1, total: 1 } },
  { type: 'CHOOSE_RESOLUTION', actor: 'merchant', at: AT, payload: { resolution: 'reship' } },
  { type: 'VERIFICATION_CONFIRMED', actor: 'supplier', at: AT },
  { type: 'RESHIPPED', actor: 'supplier', at: AT, payload: { trackingNumber: 'TRK-2' } },
];

/**
 * Runs `round` (which does `perRound` operations) for about `ms` after a warm-up. Returns
 * operations per second of CPU time (what one core does, whatever else the machine is running).
 */
function measure(perRound: number, round: () => void, ms = 2000): number {
  const warmUntil = Date.now() + 300;
  while (Date.now() < warmUntil) round();
  let rounds = 0;
  const start = process.cpuUsage();
  const until = Date.now() + ms;
  while (Date.now() < until) {
    for (let i = 0; i < 100; i++) round();
    rounds += 100;
  }
  const used = process.cpuUsage(start);
  return Math.round((rounds * perRound) / ((used.user + used.system) / 1e6));
}

const machine = machineFor('damaged_item');

const claimFlowTransitionsPerSec = measure(FLOW.length, () => {
  let [snapshot] = pureInitialTransition(machine, input);
  for (const event of FLOW) [snapshot] = pureTransition(machine, snapshot, event);
  if (snapshot.status !== 'done') throw new Error('claim flow did not close');
});

const xstateTransitionPerSec = measure(FLOW.length, () => {
  let [snapshot] = pureInitialTransition(machine, input);
  for (const event of FLOW)
    [snapshot] = transition(machine, snapshot as never, event) as [AnyMachineSnapshot, unknown];
});

/** One JSON text per state of the flow, as the database hands them back. */
const stored: string[] = [];
let step = openCase(input);
for (const event of FLOW) {
  stored.push(JSON.stringify(step.snapshot));
  const result = applyEvent('damaged_item', step.snapshot, event);
  if (!result.ok) throw new Error(`${event.type} refused: ${result.error}`);
  step = result;
}

const roundsPerSec = measure(FLOW.length, () => {
  for (let i = 0; i < FLOW.length; i++) {
    const result = applyEvent('damaged_item', JSON.parse(stored[i]) as unknown, FLOW[i]);
    if (!result.ok) throw new Error('refused');
    JSON.stringify(result.snapshot);
  }
});

const objects = stored.map((text) => JSON.parse(text) as unknown);
const roundsOnObjectsPerSec = measure(FLOW.length, () => {
  for (let i = 0; i < FLOW.length; i++) {
    const result = applyEvent('damaged_item', objects[i], FLOW[i]);
    if (!result.ok) throw new Error('refused');
  }
});

const openCasePerSec = measure(1, () => JSON.stringify(openCase(input).snapshot));

console.log(
  JSON.stringify(
    {
      node: process.version,
      claimFlowTransitionsPerSec,
      xstateTransitionPerSec,
      roundsPerSec,
      roundsOnObjectsPerSec,
      openCasePerSec,
      target: { roundsPerSec: 20000 },
    },
    null,
    2,
  ),
);
