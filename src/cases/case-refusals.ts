/** The case service's refusals as the contract's errors (api.md "Errors"). */
import { ApiError } from '../common/errors/api-error';
import { allowedEvents, type CaseType, type WorkflowRefusal } from '../workflows';
import type { Actor, CaseRow } from './case.types';

/** A refusal of the pure workflow as the contract's error. */
export function refusalError(
  result: WorkflowRefusal,
  type: string,
  actor: Actor,
  row: CaseRow,
): ApiError {
  const extra = { state: result.state, allowedEvents: result.allowedEvents };
  switch (result.error) {
    case 'forbidden':
      return new ApiError('forbidden', `The ${actor.kind} role may not send ${type}`, extra);
    case 'evidence_required':
      return new ApiError('evidence_required', result.message, extra);
    case 'invalid_transition':
      return new ApiError(
        'invalid_transition',
        row.status === 'closed'
          ? `The case is closed (${row.outcome}): it accepts no ${type}`
          : `State ${result.state} does not accept ${type} now`,
        extra,
      );
  }
}

/** 403 for an event the actor's role may not send, with what it may send now. */
export function forbiddenError(type: string, actor: Actor, row: CaseRow): ApiError {
  const allowed = allowedEvents(
    row.type as CaseType,
    row.snapshot,
    actor.kind,
    row.workflow_version,
  );
  return refusalError(
    { error: 'forbidden', state: row.state, allowedEvents: allowed },
    type,
    actor,
    row,
  );
}

/** 409 when the client's `If-Match` names another version than the case's. */
export function checkIfMatch(ifMatch: number | undefined, version: number): void {
  if (ifMatch === undefined || ifMatch === version) return;
  throw new ApiError(
    'version_conflict',
    `If-Match holds version ${ifMatch}; the case is at version ${version}`,
    { currentVersion: version },
  );
}
