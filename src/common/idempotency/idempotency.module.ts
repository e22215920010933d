import { Module } from '@nestjs/common';
import { IdempotencyGuard } from './idempotency.guard';
import { IdempotencyService } from './idempotency.service';

/**
 * `Idempotency-Key` on every POST under `/v1` (api.md "Idempotency and concurrency"). Its guard is
 * made global after the API key guard by AppModule (app-guards.ts); app.factory.ts adds the
 * `onSend` hook that settles the answers (`settleIdempotentRequests`).
 */
@Module({
  providers: [IdempotencyService, IdempotencyGuard],
  exports: [IdempotencyService, IdempotencyGuard],
})
export class IdempotencyModule {}
