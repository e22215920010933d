import { Global, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * API keys, the key guard and the per-key rate limit. The guards are made global, in their order,
 * by AppModule (app-guards.ts).
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
  providers: [ApiKeyService, ApiKeyGuard, RateLimitGuard],
  exports: [ApiKeyService, ApiKeyGuard, RateLimitGuard],
})
export class AuthModule {}
