import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertMerchantScope, CurrentPrincipal } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';
import {
  AfterShipIntegrationDto,
  MerchantSettingsDto,
  ShopifyIntegrationDto,
} from './integration.dto';
import { IntegrationsService } from './integrations.service';
import { ApiAnswer } from '../common/openapi/api-answers';

/** A merchant's integrations and settings (intake.md): ops, or that merchant (others: 404). */
@ApiTags('integrations')
@ApiBearerAuth()
@Controller('v1/merchants')
export class MerchantIntegrationsController {
  constructor(private readonly integrations: IntegrationsService) {}

  @Put(':id/integrations/shopify')
  @ApiOperation({
    summary: "Connect the merchant's Shopify shop",
    description:
      "Point Shopify's webhooks at POST /v1/integrations/shopify/:merchantId; `secret` is the " +
      "app's client secret that signs them, stored encrypted and never answered back.",
  })
  @ApiAnswer(200, 'Integration')
  shopify(
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: ShopifyIntegrationDto,
  ) {
    assertMerchantScope(principal, id, 'Merchant');
    return this.integrations.configure(
      id,
      'shopify',
      dto.secret,
      dto.shopDomain,
      dto.supplierId ?? null,
    );
  }

  @Put(':id/integrations/aftership')
  @ApiOperation({
    summary: "Connect the merchant's AfterShip account",
    description:
      "Point AfterShip's webhook at POST /v1/integrations/aftership/:merchantId; `secret` is the " +
      'webhook secret that signs it, stored encrypted and never answered back.',
  })
  @ApiAnswer(200, 'Integration')
  aftership(
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: AfterShipIntegrationDto,
  ) {
    assertMerchantScope(principal, id, 'Merchant');
    return this.integrations.configure(id, 'aftership', dto.secret, null, null);
  }

  @Put(':id/settings')
  @ApiOperation({
    summary: 'Which cases open by themselves, and when a parcel counts as lost',
    description: 'Fields sent change, the others keep their value; answers the whole settings.',
  })
  @ApiAnswer(200, 'MerchantSettings')
  saveSettings(
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @CurrentPrincipal() principal: Principal,
    @Body() dto: MerchantSettingsDto,
  ) {
    assertMerchantScope(principal, id, 'Merchant');
    return this.integrations.saveSettings(id, dto);
  }

  @Get(':id/settings')
  @ApiOperation({
    description:
      'Ops or that merchant. Which case types open by themselves from tracking and order updates (`autoOpen`), and after how many days without news a parcel counts as lost.',
    summary: "The merchant's settings (every switch off by default)",
  })
  @ApiAnswer(200, 'MerchantSettings')
  async settings(
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertMerchantScope(principal, id, 'Merchant');
    return this.integrations.settings(id);
  }
}
