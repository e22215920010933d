import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreatedApiKey } from '../common/auth/api-key.service';
import { assertMerchantScope, CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';
import { NoFields } from '../common/validation/validators';
import { CreateMerchantDto } from './merchant.dto';
import { MerchantService, MerchantView } from './merchant.service';

@ApiTags('merchants')
@ApiBearerAuth()
@Controller('v1/merchants')
export class MerchantsController {
  constructor(private readonly merchants: MerchantService) {}

  @Post()
  @Roles('ops')
  @ApiOperation({ summary: 'Create a merchant; answers its webhookSecret once' })
  create(@Body() body: CreateMerchantDto): Promise<MerchantView & { webhookSecret: string }> {
    return this.merchants.create(body);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A merchant (ops, or that merchant’s own key)' })
  async get(
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MerchantView> {
    assertMerchantScope(principal, id, 'Merchant');
    return this.merchants.view(id);
  }

  @Post(':id/api-keys')
  @Roles('ops')
  @ApiOperation({ summary: 'Create an API key for a merchant; the key is shown once' })
  createApiKey(
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @Body() _body: NoFields,
  ): Promise<CreatedApiKey> {
    return this.merchants.createApiKey(id);
  }
}
