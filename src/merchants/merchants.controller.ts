import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyView, CreatedApiKey } from '../common/auth/api-key.service';
import { assertMerchantScope, CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { decodePartyCursor, encodePartyCursor } from '../common/parties/party-cursor';
import { ListPartiesQuery, UpdatePartyDto } from '../common/parties/party.dto';
import { ApiError } from '../common/errors/api-error';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';
import { NoFields } from '../common/validation/validators';
import { CreateMerchantDto } from './merchant.dto';
import { MerchantService, MerchantView } from './merchant.service';
import { ApiAnswer, ApiRefusals } from '../common/openapi/api-answers';

@ApiTags('merchants')
@ApiBearerAuth()
@Controller('v1/merchants')
export class MerchantsController {
  constructor(private readonly merchants: MerchantService) {}

  @Post()
  @Roles('ops')
  @ApiOperation({
    description:
      "Ops only. `webhookSecret` (`whsec_...`) signs the notifications Redress sends the merchant; it is shown here once and stored sealed. The answer's `Location` is the merchant's URL.",
    summary: 'Create a merchant; answers its webhookSecret once',
  })
  @ApiAnswer(201, 'MerchantCreated', { headers: ['Location'] })
  create(@Body() body: CreateMerchantDto): Promise<MerchantView & { webhookSecret: string }> {
    return this.merchants.create(body);
  }

  @Get()
  @Roles('ops')
  @ApiOperation({
    description:
      'Ops only. `limit` 1 to 200 (default 50); pass `nextCursor` as `cursor` for the next page.',
    summary: 'List merchants, newest first (cursor pagination)',
  })
  @ApiAnswer(200, 'MerchantPage')
  async list(
    @Query() query: ListPartiesQuery,
  ): Promise<{ items: MerchantView[]; nextCursor: string | null }> {
    const cursor = query.cursor ? decodePartyCursor(query.cursor) : null;
    const page = await this.merchants.list(query.limit ?? 50, cursor);
    return { items: page.items, nextCursor: page.next ? encodePartyCursor(page.next) : null };
  }

  @Get('me')
  @Roles('merchant')
  @ApiOperation({
    summary: 'The merchant of this key (the merchant console reads who signed in)',
    description: 'A merchant key only (others: 403). Never the webhook secret.',
  })
  @ApiAnswer(200, 'Merchant')
  me(@CurrentPrincipal() principal: Principal, @Query() _query: NoFields): Promise<MerchantView> {
    if (principal.kind !== 'merchant')
      throw new ApiError('forbidden', 'This route needs a merchant key');
    return this.merchants.view(principal.merchantId);
  }

  @Get(':id')
  @ApiOperation({
    description:
      'A merchant key reads its own merchant only (another id: 404). Never the webhook secret.',
    summary: 'A merchant (ops, or that merchant’s own key)',
  })
  @ApiAnswer(200, 'Merchant')
  async get(
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<MerchantView> {
    assertMerchantScope(principal, id, 'Merchant');
    return this.merchants.view(id);
  }

  @Patch(':id')
  @Roles('ops')
  @ApiOperation({
    description:
      'Ops only. Only the fields sent change; `null` clears `timezone`, `language` or `webhookUrl`. `country` changes only while the merchant has no case (else 409 country_locked).',
    summary: 'Change a merchant’s name, webhookUrl, language, timezone (country: while no case)',
  })
  @ApiAnswer(200, 'Merchant')
  @ApiRefusals({ 409: 'country_locked: the merchant has cases' })
  update(
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @Body() body: UpdatePartyDto,
  ): Promise<MerchantView> {
    return this.merchants.update(id, body);
  }

  @Post(':id/api-keys')
  @Roles('ops')
  @ApiOperation({
    description:
      "Ops only. The answer's `key` (`rk_live_...`) is the bearer key; only its `prefix` is kept readable, the key itself is stored hashed.",
    summary: 'Create an API key for a merchant; the key is shown once',
  })
  @ApiAnswer(201, 'ApiKeyCreated')
  createApiKey(
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @Body() _body: NoFields,
  ): Promise<CreatedApiKey> {
    return this.merchants.createApiKey(id);
  }

  @Get(':id/api-keys')
  @ApiOperation({
    description:
      "Each key's id, prefix, creation, last use and revocation; revoke one with DELETE /v1/api-keys/{id}.",
    summary: 'A merchant’s API keys, never the keys (ops, or that merchant)',
  })
  @ApiAnswer(200, 'ApiKeyList')
  async listApiKeys(
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ items: ApiKeyView[] }> {
    assertMerchantScope(principal, id, 'Merchant');
    return { items: await this.merchants.listApiKeys(id) };
  }

  @Post(':id/rotate-secret')
  @Roles('ops')
  @ApiOperation({
    summary: 'New webhook secret, shown once; the previous one stays valid 24 h',
    description: 'Meanwhile outbound notifications are signed with both.',
  })
  @ApiAnswer(201, 'SecretRotated')
  rotateSecret(
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @Body() _body: NoFields,
  ): Promise<{ webhookSecret: string; previousSecretExpiresAt: string }> {
    return this.merchants.rotateSecret(id);
  }
}
