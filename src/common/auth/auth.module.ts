import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ApiKeyCache } from './api-key-cache';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { ApiKeyUsage } from './api-key-usage';
import { FailedAuthLimiter } from './failed-auth-limiter';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * API keys, the key guard, the per-key rate limit and the failed-authentication limit. The guards
 * are made global, in their order, by AppModule (app-guards.ts).
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: 'default', ttl: 1000, limit: config.rateLimitPerSecond }],
      }),
    }),
  ],
  providers: [
    ApiKeyService,
    ApiKeyCache,
    ApiKeyUsage,
    { provide: FailedAuthLimiter, useFactory: () => new FailedAuthLimiter() },
    ApiKeyGuard,
    RateLimitGuard,
  ],
  exports: [ApiKeyService, ApiKeyGuard, RateLimitGuard, FailedAuthLimiter],
})
export class AuthModule {}
