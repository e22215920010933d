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
import { BuyerLinks } from './buyer-links.service';
import type { CreatedLink } from './case-links.service';
import { ApiAnswer } from '../common/openapi/api-answers';

/** `POST/DELETE /v1/cases/:id/buyer-link`: the case's merchant or ops (supplier keys: 403). */
@ApiTags('links')
@ApiBearerAuth()
@Roles('ops', 'merchant')
@Controller('v1/cases')
export class BuyerLinksController {
  constructor(private readonly links: BuyerLinks) {}

  @Post(':id/buyer-link')
  @ApiOperation({
    summary: 'A link for the buyer: {url, token, expiresAt}',
    description:
      '`url` is `/b/<token>` on this server: a page in the case’s `buyerLanguage` where the ' +
      'buyer describes the problem, picks the order lines concerned and uploads photos or ' +
      'videos. Valid 14 days; the token is shown once. A new link does not revoke older ones.',
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

  @Delete(':id/buyer-link')
  @HttpCode(204)
  @ApiOperation({
    description: "Ops or the case's merchant. The buyer's page stops working at once.",
    summary: 'Revoke every buyer link of the case (their tokens then 404)',
  })
  @ApiNoContentResponse()
  @ApiAnswer(204, null)
  async revoke(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.links.revokeAll(id, principal);
  }
}
