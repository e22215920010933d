import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ApiKeyView, CreatedApiKey } from '../common/auth/api-key.service';
import { Roles } from '../common/auth/auth.decorators';
import { decodePartyCursor, encodePartyCursor } from '../common/parties/party-cursor';
import { ListPartiesQuery, UpdatePartyDto } from '../common/parties/party.dto';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';
import { NoFields } from '../common/validation/validators';
import { CreateClosureDto, CreateSupplierDto } from './supplier.dto';
import { Supplier, SupplierClosure, SupplierService } from './supplier.service';
import { ApiAnswer, ApiRefusals } from '../common/openapi/api-answers';

@ApiTags('suppliers')
@ApiBearerAuth()
@Roles('ops')
@Controller('v1/suppliers')
export class SuppliersController {
  constructor(private readonly suppliers: SupplierService) {}

  @Post()
  @ApiOperation({
    description:
      "Ops only. `webhookSecret` verifies the supplier's signed webhooks and signs Redress's notifications to it; shown here once, stored sealed.",
    summary: 'Create a supplier; answers its webhookSecret once',
  })
  @ApiAnswer(201, 'SupplierCreated', { headers: ['Location'] })
  create(@Body() body: CreateSupplierDto): Promise<Supplier & { webhookSecret: string }> {
    return this.suppliers.create(body);
  }

  @Get()
  @ApiOperation({
    description:
      'Ops only. `limit` 1 to 200 (default 50); pass `nextCursor` as `cursor` for the next page.',
    summary: 'List suppliers, newest first (cursor pagination)',
  })
  @ApiAnswer(200, 'SupplierPage')
  async list(
    @Query() query: ListPartiesQuery,
  ): Promise<{ items: Supplier[]; nextCursor: string | null }> {
    const cursor = query.cursor ? decodePartyCursor(query.cursor) : null;
    const page = await this.suppliers.list(query.limit ?? 50, cursor);
    return { items: page.items, nextCursor: page.next ? encodePartyCursor(page.next) : null };
  }

  @Get(':id')
  @ApiAnswer(200, 'Supplier')
  @ApiOperation({ summary: 'A supplier', description: 'Ops only. Never the webhook secret.' })
  get(@Param('id', new UuidParamPipe('Supplier')) id: string): Promise<Supplier> {
    return this.suppliers.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    description:
      'Ops only. Only the fields sent change; `null` clears `timezone`, `language` or `webhookUrl`. `country` changes only while the supplier has no case (else 409 country_locked).',
    summary: 'Change a supplier’s name, webhookUrl, language, timezone (country: while no case)',
  })
  @ApiAnswer(200, 'Supplier')
  @ApiRefusals({ 409: 'country_locked: the supplier has cases' })
  update(
    @Param('id', new UuidParamPipe('Supplier')) id: string,
    @Body() body: UpdatePartyDto,
  ): Promise<Supplier> {
    return this.suppliers.update(id, body);
  }

  @Post(':id/closures')
  @ApiOperation({
    summary: 'Days the supplier does not work (inclusive dates)',
    description:
      'Counted out of the business days of every deadline set from now on. A deadline already ' +
      'set keeps its dueAt: it is the promise made when it was set.',
  })
  @ApiAnswer(201, 'Closure')
  addClosure(
    @Param('id', new UuidParamPipe('Supplier')) id: string,
    @Body() body: CreateClosureDto,
  ): Promise<SupplierClosure> {
    return this.suppliers.addClosure(id, body);
  }

  @Get(':id/closures')
  @ApiAnswer(200, 'ClosureList')
  @ApiOperation({
    summary: "A supplier's closures",
    description:
      'Ops only. Days the supplier does not work (holidays of its own): they are not business days for its deadlines.',
  })
  async listClosures(
    @Param('id', new UuidParamPipe('Supplier')) id: string,
  ): Promise<{ items: SupplierClosure[] }> {
    return { items: await this.suppliers.listClosures(id) };
  }

  @Post(':id/api-keys')
  @ApiOperation({
    summary: 'Create an API key for a supplier; the key is shown once',
    description:
      'A supplier key sees only the cases of its supplier (any other case: 404) and may send ' +
      'the supplier’s events; revoke it with DELETE /v1/api-keys/:id.',
  })
  @ApiAnswer(201, 'ApiKeyCreated')
  createApiKey(
    @Param('id', new UuidParamPipe('Supplier')) id: string,
    @Body() _body: NoFields,
  ): Promise<CreatedApiKey> {
    return this.suppliers.createApiKey(id);
  }

  @Get(':id/api-keys')
  @ApiOperation({
    description: "Ops only. Each key's id, prefix, creation, last use and revocation.",
    summary: 'A supplier’s API keys, never the keys (ops)',
  })
  @ApiAnswer(200, 'ApiKeyList')
  async listApiKeys(
    @Param('id', new UuidParamPipe('Supplier')) id: string,
  ): Promise<{ items: ApiKeyView[] }> {
    return { items: await this.suppliers.listApiKeys(id) };
  }

  @Post(':id/rotate-secret')
  @ApiOperation({
    summary: 'New webhook secret, shown once; the previous one stays valid 24 h',
    description: 'Both verify inbound webhooks meanwhile, and outbound ones are signed with both.',
  })
  @ApiAnswer(201, 'SecretRotated')
  rotateSecret(
    @Param('id', new UuidParamPipe('Supplier')) id: string,
    @Body() _body: NoFields,
  ): Promise<{ webhookSecret: string; previousSecretExpiresAt: string }> {
    return this.suppliers.rotateSecret(id);
  }
}
