import { Api, ApiError } from '../shared/api';
import type { ErrorBody } from '../shared/api-types';

export const KEY = 'redress.opsKey';

/** Called when the server refuses the key (401): the page signs out. */
let unauthorized: (reason: string) => void = () => undefined;
export function onUnauthorized(handler: (reason: string) => void): void {
  unauthorized = handler;
}

/** Reads of the `/v1` API with the ops key of this tab. */
export const api = new Api({
  key: () => sessionStorage.getItem(KEY),
  onUnauthorized: () => unauthorized('The key was refused (401)'),
});

/**
 * Writes of the `/v1` API (POST, DELETE) with the ops key; `headers` adds `If-Match` and the like.
 * A refusal rejects with an {@link ApiError}; 204 answers undefined.
 */
export async function send<T>(
  method: 'POST' | 'DELETE' | 'PATCH',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  if (!path.startsWith('/')) throw new Error(`same-origin paths only: ${path}`);
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${sessionStorage.getItem(KEY) ?? ''}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await res.json().catch(() => undefined)) as unknown;
  if (res.status === 401) unauthorized('The key was refused (401)');
  if (!res.ok) throw new ApiError(res.status, (answer ?? {}) as ErrorBody);
  return answer as T;
}

/** A refusal as a person reads it: "409 version_conflict: Case ... was changed since...". */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    return `${error.status} ${error.body.error ?? ''}: ${error.body.message ?? ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}
