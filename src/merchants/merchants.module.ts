import { Module } from '@nestjs/common';
import { PartiesModule } from '../common/parties/parties.module';
import { AppPageController } from './app-page.controller';
import { MerchantService } from './merchant.service';
import { MerchantsController } from './merchants.controller';

@Module({
  imports: [PartiesModule],
  controllers: [MerchantsController, AppPageController],
  providers: [MerchantService],
  exports: [MerchantService],
})
export class MerchantsModule {}
