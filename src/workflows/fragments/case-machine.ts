/**
 * Builds a case machine in each of its versions: the type's own states, plus what every case has
 * (the opening effects, `escalated`, and the final `closed`). A state built with `openState`
 * differs by version (see shared-states.ts); a plain state config is the same in every version.
 */
import type { SnapshotFrom } from 'xstate';
import { WORKFLOW_VERSIONS, type CaseType, type WorkflowVersion } from '../workflow.types';
import { closedState, escalatedState, openingEffects, type StateBuilder } from './shared-states';
import {
  initialContext,
  workflowSetup,
  type WorkflowStateConfig,
  type WorkflowTransition,
} from './machine-setup';

interface CaseMachineConfig {
  initial: string;
  states: Record<string, StateBuilder | WorkflowStateConfig>;
  /** What else closes `escalated` in this machine (see escalatedState). */
  escalatedClosers?: Record<string, WorkflowTransition>;
  /** The first version this case type exists in (a newer type has no version 1). */
  since?: WorkflowVersion;
}

function buildMachine(type: CaseType, config: CaseMachineConfig, version: WorkflowVersion) {
  const states: Record<string, WorkflowStateConfig> = {};
  for (const [name, state] of Object.entries({
    ...config.states,
    escalated: escalatedState(config.escalatedClosers),
  })) {
    const built = typeof state === 'function' ? state(version) : state;
    if (built) states[name] = built;
  }
  return workflowSetup.createMachine({
    id: type,
    context: ({ input }) => initialContext(input),
    entry: [openingEffects(version)],
    initial: config.initial,
    states: { ...states, closed: closedState },
  });
}

export type CaseMachine = ReturnType<typeof buildMachine>;
export type CaseSnapshot = SnapshotFrom<CaseMachine>;
/** A machine in every version it exists in (a type added later has no older versions). */
export type VersionedMachine = Partial<Record<WorkflowVersion, CaseMachine>>;

export function caseMachine(type: CaseType, config: CaseMachineConfig): VersionedMachine {
  const machines: VersionedMachine = {};
  for (const version of WORKFLOW_VERSIONS) {
    if (version >= (config.since ?? 1)) machines[version] = buildMachine(type, config, version);
  }
  return machines;
}
