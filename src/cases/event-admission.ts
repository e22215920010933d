/**
 * Admits an event, in one place, for every caller of the case service (the cases route, supplier
 * webhooks, the scheduler, and any caller to come): the event is known, the actor's role may send
 * it, its payload is valid, checked in that order. Pure: no case is read here.
 *
 * The order of refusals is the callers' contract, and the verdict carries it:
 * - `invalid` (400 `validation_failed`): an unknown event, or a bad payload from a role that may
 *   send it. Nothing needs looking up to say so, so it is answered first.
 * - `forbidden` (403): the role may not send the event. Answered only once the case is found in
 *   the caller's scope, so a case the caller cannot see stays a 404 (existence is not leaked);
 *   its payload is not checked (a 403 never turns into a 400).
 *
 * A merchant recording a supplier's outcome (`payload.onBehalfOfSupplier: true`, collaboration.md)
 * is admitted as the supplier would be, and its actor says so (`onBehalfOf: "supplier"`); whether
 * its `proofEvidenceId` is evidence of the case is checked once the case is read
 * ({@link checkProof}).
 */
import type { FieldProblem } from '../common/errors/api-error';
import { ApiError } from '../common/errors/api-error';
import {
  isKnownEvent,
  isOnBehalfOfSupplier,
  maySend,
  validateEventPayload,
  type WorkflowEventType,
} from '../workflows';
import { workflowActor, type Actor, type CaseRow, type EvidenceRow } from './case.types';

export type Admission =
  | {
      verdict: 'admitted';
      type: WorkflowEventType;
      payload: Record<string, unknown>;
      /** The actor as the timeline records it (a merchant acting for the supplier says so). */
      actor: Actor;
    }
  | { verdict: 'forbidden'; type: WorkflowEventType; payload: Record<string, unknown> }
  | { verdict: 'invalid'; problems: FieldProblem[] };

export function admitEvent(type: string, actor: Actor, payload: unknown): Admission {
  if (!isKnownEvent(type)) {
    return {
      verdict: 'invalid',
      problems: [{ field: 'type', problem: `${type} is not a workflow event` }],
    };
  }
  const fields = (payload ?? {}) as Record<string, unknown>;
  const onBehalf = actor.kind === 'merchant' && isOnBehalfOfSupplier(type, fields);
  const acting: Actor = onBehalf ? { ...actor, onBehalfOf: 'supplier' } : actor;
  if (!maySend(workflowActor(acting), type)) return { verdict: 'forbidden', type, payload: fields };
  const problems = validateEventPayload(type, payload ?? {});
  if (problems.length > 0) return { verdict: 'invalid', problems };
  return { verdict: 'admitted', type, payload: fields, actor: acting };
}

/**
 * An outcome recorded for the supplier must name evidence already on this case as its proof
 * (a screenshot of the supplier's chat, a refund receipt): else 400 `validation_failed`.
 */
export function checkProof(
  actor: Actor,
  payload: Record<string, unknown>,
  row: CaseRow & { evidence?: Pick<EvidenceRow, 'id'>[] },
): void {
  if (actor.onBehalfOf !== 'supplier') return;
  const proof = payload.proofEvidenceId;
  if ((row.evidence ?? []).some((e) => e.id === proof)) return;
  throw ApiError.validation([
    { field: 'payload.proofEvidenceId', problem: 'is not the id of evidence on this case' },
  ]);
}
