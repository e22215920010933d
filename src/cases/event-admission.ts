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
 */
import type { FieldProblem } from '../common/errors/api-error';
import {
  isKnownEvent,
  maySend,
  validateEventPayload,
  type ActorKind,
  type WorkflowEventType,
} from '../workflows';

export type Admission =
  | { verdict: 'admitted'; type: WorkflowEventType; payload: Record<string, unknown> }
  | { verdict: 'forbidden'; type: WorkflowEventType; payload: Record<string, unknown> }
  | { verdict: 'invalid'; problems: FieldProblem[] };

export function admitEvent(type: string, actor: ActorKind, payload: unknown): Admission {
  if (!isKnownEvent(type)) {
    return {
      verdict: 'invalid',
      problems: [{ field: 'type', problem: `${type} is not a workflow event` }],
    };
  }
  const fields = (payload ?? {}) as Record<string, unknown>;
  if (!maySend(actor, type)) return { verdict: 'forbidden', type, payload: fields };
  const problems = validateEventPayload(type, payload ?? {});
  if (problems.length > 0) return { verdict: 'invalid', problems };
  return { verdict: 'admitted', type, payload: fields };
}
