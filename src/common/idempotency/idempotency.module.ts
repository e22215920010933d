import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { IdempotencyGuard } from './idempotency.guard';
import { IdempotencyService } from './idempotency.service';

/**
 * `Idempotency-Key` on every POST under `/v1` (api.md "Idempotency and concurrency"). Imported
 * after AuthModule: its global guard runs after the API key guard. app.factory.ts adds the
 * `onSend` hook that settles the answers (`settleIdempotentRequests`).
 */
@Module({
  providers: [IdempotencyService, { provide: APP_GUARD, useClass: IdempotencyGuard }],
  exports: [IdempotencyService],
})
export class IdempotencyModule {}
