/**
 * Liability's later facts (a confirmed damage, customs past 30 days) and ops' `SET_LIABILITY`,
 * which has the last word: once ops set it, the rules leave it alone. At opening: see
 * workflow.liability.ts.
 */
import { LIABILITIES, type Liability } from '../workflow.types';
import { assign, payloadOf, type WorkflowAction, type WorkflowTransition } from './machine-setup';

/** A fact that makes `liability` liable, unless ops has set it. */
export function liableNow(liability: Liability): WorkflowAction {
  return assign({
    liability: ({ context }) => (context.liabilityByOps ? context.liability : liability),
  });
}

/** `SET_LIABILITY` `{liability, reason}` (ops): no change of state. */
export const setLiability: WorkflowTransition = {
  actions: [
    assign({
      liability: ({ context, event }) => {
        const value = payloadOf(event).liability;
        return (LIABILITIES as readonly unknown[]).includes(value)
          ? (value as Liability)
          : context.liability;
      },
      liabilityByOps: true,
    }),
  ],
};
