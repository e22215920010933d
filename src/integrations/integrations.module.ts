import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { DueDatesModule } from '../deadlines/due-dates.module';
import { OrdersModule } from '../orders/orders.module';
import { AfterShipController } from './aftership/aftership.controller';
import { AfterShipService } from './aftership/aftership.service';
import { TrackingCases } from './aftership/tracking-cases';
import { AutoOpenService } from './intake/auto-open.service';
import { IntakePurge } from './intake/intake-purge';
import { LateShipmentCheck } from './intake/late-shipment-check';
import { LostParcelCheck } from './intake/lost-parcel-check';
import { LostParcelRepository } from './intake/lost-parcel.repository';
import { OrderTimers } from './intake/order-timers';
import { IntegrationRepository } from './integration.repository';
import { IntegrationsService } from './integrations.service';
import { MerchantIntegrationsController } from './merchant-integrations.controller';
import { ShopifyController } from './shopify/shopify.controller';
import { ShopifyService } from './shopify/shopify.service';

/**
 * Orders and tracking that come in by themselves (intake.md): one receiver per sender (Shopify,
 * AfterShip), the merchants' integrations and settings, and the cases that open by themselves.
 */
@Module({
  imports: [CasesModule, OrdersModule, DueDatesModule],
  controllers: [MerchantIntegrationsController, ShopifyController, AfterShipController],
  providers: [
    IntegrationRepository,
    IntegrationsService,
    AutoOpenService,
    LateShipmentCheck,
    LostParcelRepository,
    LostParcelCheck,
    OrderTimers,
    ShopifyService,
    AfterShipService,
    TrackingCases,
    IntakePurge,
  ],
})
export class IntegrationsModule {}
