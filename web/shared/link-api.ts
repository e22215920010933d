import { ApiError } from './api';
import type { ErrorBody } from './api-types';

/**
 * The link pages' way to call their API (`/v1/portal/<token>/...`, `/v1/buyer/<token>/...`): the
 * token in the path is the credential, so no key is sent; same origin only. A refusal rejects
 * with an {@link ApiError}.
 */
export class LinkApi {
  constructor(private readonly base: string) {
    if (!base.startsWith('/')) throw new Error(`same-origin paths only: ${base}`);
  }

  get<T>(path = ''): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  /** POSTs a form as `multipart/form-data` (a file upload). */
  upload<T>(path: string, form: FormData): Promise<T> {
    return this.call<T>('POST', path, form);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const form = body instanceof FormData;
    const res = await fetch(this.base + path, {
      method,
      // A form sets its own multipart content-type, boundary included.
      headers: body === undefined || form ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : form ? body : JSON.stringify(body),
      referrerPolicy: 'no-referrer',
    });
    const answer = (await res.json().catch(() => ({}))) as unknown;
    if (!res.ok) throw new ApiError(res.status, answer as ErrorBody);
    return answer as T;
  }
}

/** The token of a link page's URL (`/s/<token>`, `/b/<token>`). */
export function tokenOfPage(): string {
  return decodeURIComponent(location.pathname.split('/')[2] ?? '');
}
