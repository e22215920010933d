import { Module } from '@nestjs/common';
import { DueDatesModule } from '../deadlines/due-dates.module';
import { OrderRepository } from './order.repository';
import { OrderService } from './order.service';
import { OrdersController } from './orders.controller';

/** Orders, their parcels and tracking (intake.md); cases and the integrations use them. */
@Module({
  imports: [DueDatesModule],
  controllers: [OrdersController],
  providers: [OrderService, OrderRepository],
  exports: [OrderService, OrderRepository],
})
export class OrdersModule {}
