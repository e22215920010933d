/**
 * Workflow definitions as the API shows them (`GET /v1/workflows`, `GET /v1/workflows/:type`),
 * read from the machines themselves.
 */
import {
  eventsOf,
  initialStates,
  isTransient,
  reachable,
  stateId,
  stateNodes,
  timersOf,
} from './workflow.graph';
import { toMermaid } from './workflow.mermaid';
import { machineId, workflowVersion } from './workflow.registry';
import { optionalPayloadFields, requiredPayloadFields, rolesFor } from './workflow.events';
import { PHASE_FOLLOWS_ORDER } from './workflow.orders';
import {
  CASE_TYPES,
  OUTCOMES,
  type ActorKind,
  type CaseType,
  type Outcome,
  type Phase,
  type TimerKind,
} from './workflow.types';

const POST_SHIPMENT: readonly CaseType[] = [
  'customs_delay',
  'wrong_item',
  'missing_item',
  'damaged_item',
  'lost_parcel',
];
/** Its phase follows the order: a dispute may come before or after the parcel left. */
const FOLLOWS_ORDER: readonly CaseType[] = [...PHASE_FOLLOWS_ORDER, 'payment_dispute'];

export interface WorkflowSummary {
  type: CaseType;
  machineId: string;
  version: number;
  /** For address_error and buyer_cancellation, `pre_shipment` until the order ships (see phaseFollowsOrder). */
  phase: Phase;
  phaseFollowsOrder: boolean;
  /** The states a case can be in right after opening. */
  initialStates: string[];
  /** Every state a case can be in (choice states it only passes through are left out). */
  states: string[];
  finalStates: string[];
  /** Every event some state accepts, the events every case accepts included. */
  events: string[];
  /** Who may send each event. */
  roles: Record<string, ActorKind[]>;
  /** The payload fields of each event: any other field is refused (400). */
  payloads: Record<string, { required: string[]; optional: string[] }>;
  outcomes: Outcome[];
  timers: TimerKind[];
}

export interface WorkflowDescription extends WorkflowSummary {
  mermaid: string;
}

function summary(type: CaseType): WorkflowSummary {
  const nodes = stateNodes(type);
  const events = eventsOf(type);
  const outcomes = reachable(type).outcomes;
  return {
    type,
    machineId: machineId(type),
    version: workflowVersion(type),
    phase: POST_SHIPMENT.includes(type) ? 'post_shipment' : 'pre_shipment',
    phaseFollowsOrder: FOLLOWS_ORDER.includes(type),
    initialStates: initialStates(type),
    states: nodes.filter((node) => !isTransient(node)).map(stateId),
    finalStates: nodes.filter((node) => node.type === 'final').map(stateId),
    events,
    roles: Object.fromEntries(events.map((event) => [event, rolesFor(event)])),
    payloads: Object.fromEntries(
      events.map((event) => [
        event,
        { required: requiredPayloadFields(event), optional: optionalPayloadFields(event) },
      ]),
    ),
    outcomes: OUTCOMES.filter((outcome) => outcomes.has(outcome)),
    timers: timersOf(type),
  };
}

export function describeWorkflow(type: CaseType): WorkflowDescription {
  return { ...summary(type), mermaid: toMermaid(type) };
}

/** Every case type, each with its Mermaid diagram (lost-and-disputed.md: twelve types). */
export function listWorkflows(): WorkflowDescription[] {
  return CASE_TYPES.map(describeWorkflow);
}
