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
    return this.json<T>(await this.fetch(path));
  }

  /** GETs and only answers the status, for checks such as "may this key read that?". */
  async status(path: string): Promise<number> {
    const res = await this.fetch(path);
    await res.body?.cancel();
    return res.status;
  }

  /** POSTs JSON (or a form, as `multipart/form-data`: a file upload) and reads the JSON answer. */
  async post<T>(path: string, body: unknown = {}): Promise<T> {
    const form = body instanceof FormData;
    const res = await this.fetch(path, {
      method: 'POST',
      // A form sets its own multipart content-type, boundary included.
      headers: form ? {} : { 'content-type': 'application/json' },
      body: form ? body : JSON.stringify(body),
    });
    return this.json<T>(res);
  }

  /** GETs bytes (a CSV, an uploaded photo) as a Blob; any status but 2xx rejects. */
  async blob(path: string): Promise<Blob> {
    const res = await this.fetch(path);
    if (!res.ok) return this.json<never>(res);
    return res.blob();
  }

  private async json<T>(res: Response): Promise<T> {
    const body = (await res.json().catch(() => ({}))) as unknown;
    if (res.status === 401) this.options.onUnauthorized?.();
    if (!res.ok) throw new ApiError(res.status, body as ErrorBody);
    return body as T;
  }

  private fetch(path: string, init: RequestInit = {}): Promise<Response> {
    if (!path.startsWith('/')) throw new Error(`same-origin paths only: ${path}`);
    const headers = {
      ...(init.headers as Record<string, string> | undefined),
      authorization: `Bearer ${this.options.key() ?? ''}`,
    };
    return fetch(path, { ...init, headers });
  }
}
