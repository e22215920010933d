import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { dataSourceOptions } from './database/data-source-options';
import { HealthModule } from './health/health.module';
import { ClockModule } from './common/clock/clock.module';
import { AuthModule } from './common/auth/auth.module';
import { SecretsModule } from './common/secrets/secrets.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { MerchantsModule } from './merchants/merchants.module';
import { SuppliersModule } from './suppliers/suppliers.module';
import { CasesModule } from './cases/cases.module';
import { EvidenceModule } from './evidence/evidence.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { NotificationsModule } from './notifications/notifications.module';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { TimelineModule } from './timeline/timeline.module';
import { APP_GUARDS } from './common/app-guards';
import { PeriodicModule } from './common/periodic/periodic.module';
import { MetricsModule } from './metrics/metrics.module';
import { OpsModule } from './ops/ops.module';
import { CollaborationModule } from './collaboration/collaboration.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { MoneyModule } from './money/money.module';
import { WebPagesModule } from './common/web/web-pages.module';

/** Root module; the config (with the resolved database URL) is passed in by main.ts or a test. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig & { databaseUrl: string }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(config.databaseUrl, config.databasePoolSize),
          retryAttempts: 3,
          retryDelay: 1000,
        }),
        ClockModule,
        PeriodicModule,
        SecretsModule,
        AuthModule,
        IdempotencyModule,
        MerchantsModule,
        ApiKeysModule,
        SuppliersModule,
        CasesModule,
        EvidenceModule,
        WebhooksModule,
        NotificationsModule,
        DeadlinesModule,
        HealthModule,
        MetricsModule,
        TimelineModule,
        OpsModule,
        CollaborationModule,
        IntegrationsModule,
        MoneyModule,
        WebPagesModule,
      ],
      providers: APP_GUARDS,
    };
  }
}
