import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError, FieldProblem } from './api-error';

/** Flattens class-validator's tree into one `{field, problem}` per failed constraint. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      problems.push({ field, problem: message });
    }
    if (error.children?.length) problems.push(...flattenValidationErrors(error.children, field));
  }
  return problems;
}

/** Whitelist, refuse unknown fields, and list every bad field in one 400 `validation_failed`. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ApiError.validation(flattenValidationErrors(errors)),
  });
}

const bodyPipe = createValidationPipe();

/**
 * Validates a value against a DTO class as the global pipe validates a `@Body()` (for a body
 * that only the handler can read, such as a multipart form's fields). `problems` found before are
 * answered in the same 400.
 */
export async function validateBody<T extends object>(
  dto: new () => T,
  value: unknown,
  problems: FieldProblem[] = [],
): Promise<T> {
  let valid: T | null = null;
  let details: FieldProblem[] = [];
  try {
    valid = (await bodyPipe.transform(value ?? {}, { type: 'body', metatype: dto })) as T;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    details = (error.extra.details as FieldProblem[] | undefined) ?? [];
  }
  if (problems.length || !valid) throw ApiError.validation([...problems, ...details]);
  return valid;
}
