import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { NoFields } from '../common/validation/validators';
import type { CreatedLink } from './case-links.service';
import { SupplierLinks } from './supplier-links.service';
import { ApiAnswer } from '../common/openapi/api-answers';

/** `POST/DELETE /v1/cases/:id/supplier-link`: the case's merchant or ops (supplier keys: 403). */
@ApiTags('links')
@ApiBearerAuth()
@Roles('ops', 'merchant')
@Controller('v1/cases')
export class SupplierLinksController {
  constructor(private readonly links: SupplierLinks) {}

  @Post(':id/supplier-link')
  @ApiOperation({
    summary: 'A link for the case’s supplier, without an account: {url, token, expiresAt}',
    description:
      '`url` is `/s/<token>` on this server: a page where the supplier reads the case and acts ' +
      'as its supplier. The token is shown once; it expires 30 days after it is made or 7 days ' +
      'after the case closes, whichever comes first. A new link does not revoke older ones.',
  })
  @ApiCreatedResponse({ description: '{url, token, expiresAt}' })
  @ApiAnswer(201, 'CreatedLink')
  create(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Body() _body: NoFields,
  ): Promise<CreatedLink> {
    return this.links.create(id, principal);
  }

  @Delete(':id/supplier-link')
  @HttpCode(204)
  @ApiOperation({
    description: "Ops or the case's merchant. The supplier's page stops working at once.",
    summary: 'Revoke every supplier link of the case (their tokens then 404)',
  })
  @ApiNoContentResponse()
  @ApiAnswer(204, null)
  async revoke(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.links.revokeAll(id, principal);
  }
}
