import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { SupplierWebhooksController } from './supplier-webhooks.controller';
import { SupplierWebhooksService } from './supplier-webhooks.service';

/** Inbound supplier webhooks. */
@Module({
  imports: [CasesModule, SuppliersModule],
  controllers: [SupplierWebhooksController],
  providers: [SupplierWebhooksService],
  exports: [SupplierWebhooksService],
})
export class WebhooksModule {}
