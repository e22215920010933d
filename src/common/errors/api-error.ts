import { fieldProblem, validationMessage } from './field-problem';

/**
 * Every failure a client can see, by code (also the OpenAPI document's `Error.error` enum). The
 * exception filter maps each code to its HTTP status with an exhaustive switch, so adding a code
 * without a status does not compile.
 */
export const ERROR_CODES = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'invalid_transition',
  'evidence_required',
  'version_conflict',
  'idempotency_key_reused',
  'idempotency_key_in_use',
  'clock_backwards',
  'conflict',
  'country_locked',
  'case_exists',
  'unknown_order',
  'integrity_error',
  'payload_too_large',
  'unsupported_media_type',
  'headers_too_large',
  'request_timeout',
  'unprocessable',
  'currency_mismatch',
  'amount_exceeds_outstanding',
  'rate_limited',
  'service_unavailable',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'validation_failed':
      return 400;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'method_not_allowed':
      return 405;
    case 'request_timeout':
      return 408;
    case 'invalid_transition':
    case 'evidence_required':
    case 'version_conflict':
    case 'idempotency_key_reused':
    case 'idempotency_key_in_use':
    case 'clock_backwards':
    case 'conflict':
    case 'country_locked':
    case 'case_exists':
    case 'integrity_error':
      return 409;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'headers_too_large':
      return 431;
    case 'unprocessable':
    case 'unknown_order':
    case 'currency_mismatch':
    case 'amount_exceeds_outstanding':
      return 422;
    case 'rate_limited':
      return 429;
    case 'service_unavailable':
      return 503;
    case 'internal_error':
      return 500;
  }
}

export interface FieldProblem {
  field: string;
  problem: string;
}

/** The contract's error body: `{statusCode, error, message, details?, ...extra}`. */
export interface ErrorBody {
  statusCode: number;
  error: ErrorCode;
  message: string;
  details?: FieldProblem[];
  [extra: string]: unknown;
}

/** A failure with a code from the contract. Business refusals are these, never a bare Error. */
export class ApiError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = statusOf(code);
  }

  /** 400 `validation_failed`: each problem names its field once (field-problem.ts). */
  static validation(problems: FieldProblem[], message?: string): ApiError {
    const details = problems.map((p) => fieldProblem(p.field, p.problem));
    return new ApiError('validation_failed', message ?? validationMessage(details), { details });
  }

  static notFound(what: string): ApiError {
    return new ApiError('not_found', `${what} not found`);
  }

  toBody(): ErrorBody {
    return { statusCode: this.status, error: this.code, message: this.message, ...this.extra };
  }
}
