import { Module } from '@nestjs/common';
import { MerchantService } from './merchant.service';
import { MerchantsController } from './merchants.controller';

@Module({
  controllers: [MerchantsController],
  providers: [MerchantService],
  exports: [MerchantService],
})
export class MerchantsModule {}
