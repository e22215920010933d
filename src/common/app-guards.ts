import type { Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyGuard } from './auth/api-key.guard';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { IdempotencyGuard } from './idempotency/idempotency.guard';

/**
 * The global guards, in the order they run on every request, set here and nowhere else (Nest runs
 * global guards in the order they are provided):
 * 1. who is calling (the API key: 401, or the route's role: 403);
 * 2. how often that key calls (429), so the limit is counted per key;
 * 3. the `Idempotency-Key` claim or replay, only for a caller known and within its limit.
 */
export const APP_GUARDS: Provider[] = [
  { provide: APP_GUARD, useExisting: ApiKeyGuard },
  { provide: APP_GUARD, useExisting: RateLimitGuard },
  { provide: APP_GUARD, useExisting: IdempotencyGuard },
];
