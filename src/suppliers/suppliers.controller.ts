import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/auth.decorators';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';
import { NoFields } from '../common/validation/validators';
import { CreateClosureDto, CreateSupplierDto } from './supplier.dto';
import { Supplier, SupplierClosure, SupplierService } from './supplier.service';

@ApiTags('suppliers')
@ApiBearerAuth()
@Roles('ops')
@Controller('v1/suppliers')
export class SuppliersController {
  constructor(private readonly suppliers: SupplierService) {}

  @Post()
  @ApiOperation({ summary: 'Create a supplier; answers its webhookSecret once' })
  create(@Body() body: CreateSupplierDto): Promise<Supplier & { webhookSecret: string }> {
    return this.suppliers.create(body);
  }

  @Get(':id')
  get(@Param('id', new UuidParamPipe('Supplier')) id: string): Promise<Supplier> {
    return this.suppliers.get(id);
  }

  @Post(':id/closures')
  @ApiOperation({
    summary: 'Days the supplier does not work (inclusive dates)',
    description:
      'Counted out of the business days of every deadline set from now on. A deadline already ' +
      'set keeps its dueAt: it is the promise made when it was set.',
  })
  addClosure(
    @Param('id', new UuidParamPipe('Supplier')) id: string,
    @Body() body: CreateClosureDto,
  ): Promise<SupplierClosure> {
    return this.suppliers.addClosure(id, body);
  }

  @Get(':id/closures')
  async listClosures(
    @Param('id', new UuidParamPipe('Supplier')) id: string,
  ): Promise<{ items: SupplierClosure[] }> {
    return { items: await this.suppliers.listClosures(id) };
  }

  @Post(':id/rotate-secret')
  @ApiOperation({ summary: 'New webhook secret; the previous one stays valid 24 h' })
  rotateSecret(
    @Param('id', new UuidParamPipe('Supplier')) id: string,
    @Body() _body: NoFields,
  ): Promise<{ webhookSecret: string; previousSecretExpiresAt: string }> {
    return this.suppliers.rotateSecret(id);
  }
}
