import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiResponse } from '@nestjs/swagger';
import { ref, type Schema } from './schema-kit';

/** Response headers declared once in `components.headers` (complete-document.ts). */
export type AnswerHeader = 'ETag' | 'Location' | 'Content-Disposition';

/**
 * What a route answers when it succeeds: the status and a component's name (or a schema), in
 * JSON unless `mediaTypes` says otherwise (a file, a CSV, NDJSON).
 */
export function ApiAnswer(
  status: number,
  schema: string | Schema | null,
  options: {
    description?: string;
    headers?: AnswerHeader[];
    mediaTypes?: Record<string, Schema>;
  } = {},
): MethodDecorator {
  const content = options.mediaTypes
    ? Object.fromEntries(
        Object.entries(options.mediaTypes).map(([type, body]) => [type, { schema: body }]),
      )
    : schema === null
      ? undefined
      : { 'application/json': { schema: typeof schema === 'string' ? ref(schema) : schema } };
  const headers = options.headers?.length
    ? Object.fromEntries(
        options.headers.map((name) => [name, { $ref: `#/components/headers/${name}` }]),
      )
    : undefined;
  return ApiResponse({
    status,
    description: options.description ?? (status === 204 ? 'Done; no body' : 'Success'),
    ...(content ? { content } : {}),
    ...(headers ? { headers } : {}),
  }) as MethodDecorator;
}

/**
 * The refusals of a route beyond those every route of its kind has (completeDocument adds 400,
 * 401, 403, 404, 413, 415, 429, 500, 503 by rule): status -> the codes and when, e.g.
 * `{ 409: 'invalid_transition: the state does not accept the event' }`.
 */
export function ApiRefusals(refusals: Record<number, string>): MethodDecorator {
  return applyDecorators(ApiExtension('x-refusals', refusals)) as MethodDecorator;
}
