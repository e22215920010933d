import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators';
import { BuyerLinks, type BuyerStatement } from './buyer-links.service';
import { BuyerStatementDto } from './buyer.dto';
import type { BuyerView } from './buyer.view';

/**
 * The buyer page's API (evidence.md): no API key, the link's token in the path is the credential
 * (unknown, expired or revoked: 404). Rate limited per client address.
 */
@ApiTags('links')
@Public()
@Controller('v1/buyer')
export class BuyerController {
  constructor(private readonly buyer: BuyerLinks) {}

  @Get(':token')
  @ApiOperation({
    summary: 'The buyer’s view: the order’s items and what the buyer sent, nothing else',
  })
  view(@Param('token') token: string): Promise<BuyerView> {
    return this.buyer.view(token);
  }

  @Post(':token/statement')
  @ApiOperation({
    summary: 'The buyer’s account {text, items?}: a BUYER_STATEMENT entry on the case',
    description:
      '`items`: SKUs of the order lines concerned (400 for one the order lacks); 409 on a closed ' +
      'case. The merchant gets `merchant.buyer_evidence`.',
  })
  statement(
    @Param('token') token: string,
    @Body() dto: BuyerStatementDto,
  ): Promise<BuyerStatement> {
    return this.buyer.statement(token, dto);
  }
}
