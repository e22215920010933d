/**
 * One open case per order and type (intake.md): the database's partial unique index
 * `cases_one_open_per_order` on `(merchant_id, order_snapshot->>'ref', type) WHERE status = 'open'`
 * decides between two openings, concurrent ones included; the loser answers 409 `case_exists`
 * with the open case's id (CaseRepository.openCaseOf finds it).
 */
import { ApiError } from '../common/errors/api-error';

/** The index a second open case of one order and type violates. */
export const ONE_OPEN_CASE_CONSTRAINT = 'cases_one_open_per_order';

/** Whether `error` (TypeORM's QueryFailedError or pg's own) is that index's violation. */
export function isSecondOpenCase(error: unknown): boolean {
  const driver = (error as { driverError?: unknown }).driverError ?? error;
  const { code, constraint } = (driver ?? {}) as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === ONE_OPEN_CASE_CONSTRAINT;
}

/** 409 `case_exists`, naming the open case (null only when it closed meanwhile). */
export function caseExists(caseId: string | null, orderRef: string, type: string): ApiError {
  return new ApiError(
    'case_exists',
    `Order ${orderRef} already has an open ${type} case${caseId ? ` (${caseId})` : ''}`,
    { caseId },
  );
}
