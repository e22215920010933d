import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { PeriodicTask, PeriodicWork } from '../../common/periodic/periodic-work';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AfterShipService } from '../aftership/aftership.service';
import { IntegrationsService } from '../integrations.service';

/** Forgets integration receipts past their retention and tracking updates kept past 30 days. */
@Injectable()
export class IntakePurge implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(IntakePurge.name);
  private task: PeriodicTask | null = null;

  constructor(
    private readonly integrations: IntegrationsService,
    private readonly aftership: AfterShipService,
    private readonly periodic: PeriodicWork,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task = this.periodic.start('intake-purge', this.config.webhookReceiptPurgeIntervalMs, () =>
      this.purge(),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }

  async purge(): Promise<void> {
    try {
      await this.integrations.purgeReceipts();
      await this.aftership.purgeUnmatched();
    } catch (error) {
      this.logger.warn(`intake purge failed: ${String(error)}`);
    }
  }
}
