/**
 * Builds a case machine: the type's own states, plus what every case has (the opening effects,
 * `escalated`, and the final `closed`).
 */
import type { SnapshotFrom } from 'xstate';
import type { CaseType } from '../workflow.types';
import { closedState, escalatedState, openingEffects } from './shared-states';
import { initialContext, workflowSetup, type WorkflowStateConfig } from './machine-setup';

export function caseMachine(
  type: CaseType,
  config: { initial: string; states: Record<string, WorkflowStateConfig> },
) {
  return workflowSetup.createMachine({
    id: type,
    context: ({ input }) => initialContext(input),
    entry: [openingEffects],
    initial: config.initial,
    states: { ...config.states, escalated: escalatedState, closed: closedState },
  });
}

export type CaseMachine = ReturnType<typeof caseMachine>;
export type CaseSnapshot = SnapshotFrom<CaseMachine>;
