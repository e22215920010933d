import { Module } from '@nestjs/common';
import { PartiesModule } from '../common/parties/parties.module';
import { SupplierService } from './supplier.service';
import { SuppliersController } from './suppliers.controller';

@Module({
  imports: [PartiesModule],
  controllers: [SuppliersController],
  providers: [SupplierService],
  exports: [SupplierService],
})
export class SuppliersModule {}
