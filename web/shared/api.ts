import type { ErrorBody } from './api-types';

/** A refusal from the API, in the contract's error shape; the message reads "403 forbidden: ...". */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(`${status} ${body.error ?? ''}: ${body.message ?? ''}`);
  }
}

export interface ApiOptions {
  /** The API key the user signed in with, sent as `Authorization: Bearer <key>`. */
  key: () => string | null;
  /** Called when the server refuses the key (401), before the call rejects. */
  onUnauthorized?: () => void;
}

/**
 * The pages' one way to call the `/v1` API: same origin only (the CSP allows nothing else), the
 * key in the Authorization header, a refusal as an {@link ApiError}.
 */
export class Api {
  constructor(private readonly options: ApiOptions) {}

  /** GETs a JSON answer; any status but 2xx rejects with an ApiError. */
  async get<T>(path: string): Promise<T> {
    const res = await this.fetch(path);
    const body = (await res.json().catch(() => ({}))) as unknown;
    if (res.status === 401) this.options.onUnauthorized?.();
    if (!res.ok) throw new ApiError(res.status, body as ErrorBody);
    return body as T;
  }

  /** GETs and only answers the status, for checks such as "may this key read that?". */
  async status(path: string): Promise<number> {
    const res = await this.fetch(path);
    await res.body?.cancel();
    return res.status;
  }

  private fetch(path: string): Promise<Response> {
    if (!path.startsWith('/')) throw new Error(`same-origin paths only: ${path}`);
    return fetch(path, { headers: { authorization: `Bearer ${this.options.key() ?? ''}` } });
  }
}
