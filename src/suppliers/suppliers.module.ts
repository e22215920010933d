import { Module } from '@nestjs/common';
import { SupplierService } from './supplier.service';
import { SuppliersController } from './suppliers.controller';

@Module({
  controllers: [SuppliersController],
  providers: [SupplierService],
  exports: [SupplierService],
})
export class SuppliersModule {}
