import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IsIn, IsOptional } from 'class-validator';
import { assertMerchantScope, CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiError } from '../common/errors/api-error';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';
import { principalOf, scopeOf } from '../cases/case-callers';
import { MoneyService, receivablesCsv } from './money.service';
import { ApiAnswer } from '../common/openapi/api-answers';
import { ref, str } from '../common/openapi/schema-kit';

export class ReceivablesQuery {
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

const AMOUNTS =
  "Amounts are decimal strings with exactly the currency's minor digits (ISO 4217: EUR 2, " +
  'JPY 0, KWD 3).';

/** money.md: a case's ledger, a supplier's balance, a merchant's receivables. Thin edge. */
@ApiTags('money')
@ApiBearerAuth()
@Controller('v1')
export class MoneyController {
  constructor(private readonly money: MoneyService) {}

  @Get('cases/:id/ledger')
  @Roles('ops', 'merchant', 'supplier')
  @ApiOperation({
    summary: "A case's money: claimed, refunded by the supplier, owed, refunded to the buyer",
    description:
      '`{caseId, currency, claimed, supplierRefunded, outstanding, buyerRefunded, writtenOff, ' +
      'net, entries: [{seq, at, kind, amount, reference}]}`; `outstanding = claimed - ' +
      'supplierRefunded - writtenOff` (0 once the case is closed), `net = supplierRefunded - ' +
      'buyerRefunded` (negative: a loss). `kind`: `supplier_refund`, `buyer_refund` or ' +
      '`written_off`; `seq` is the timeline entry that recorded it. ' +
      AMOUNTS,
  })
  @ApiAnswer(200, 'Ledger')
  ledger(@Req() req: FastifyRequest, @Param('id') id: string) {
    return this.money.ledger(id, scopeOf(principalOf(req)));
  }

  @Get('suppliers/:id/balance')
  @Roles('ops', 'merchant', 'supplier')
  @ApiOperation({
    summary:
      "A supplier's balance per currency (a merchant key: its own cases' share; a supplier " +
      'key: its own balance only)',
    description:
      '`{supplierId, items: [{currency, claimed, refunded, outstanding, overdue, writtenOff, ' +
      'openCases}]}`: `overdue` is what is owed on open cases whose `refund_due` or ' +
      '`resolution_due` deadline was breached. Kept as running totals by every step. ' +
      AMOUNTS,
  })
  @ApiAnswer(200, 'Balance')
  balance(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new UuidParamPipe('Supplier')) id: string,
  ) {
    if (principal.kind === 'supplier' && principal.supplierId !== id) {
      throw ApiError.notFound('Supplier');
    }
    return this.money.supplierBalance(
      id,
      principal.kind === 'merchant' ? principal.merchantId : null,
    );
  }

  @Get('merchants/:id/receivables')
  @Roles('ops', 'merchant')
  @ApiProduces('application/json', 'text/csv')
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiOperation({
    summary: "What a merchant's suppliers owe it, per supplier and currency (ops or that merchant)",
    description:
      '`{merchantId, items: [{supplierId, supplierName, currency, claimed, refunded, ' +
      'outstanding, overdue, writtenOff, openCases, lastActivityAt}]}`, newest activity first; ' +
      '`format=csv`: the same columns with a header row. ' +
      AMOUNTS,
  })
  @ApiAnswer(200, null, { mediaTypes: { 'application/json': ref('Receivables'), 'text/csv': str } })
  async receivables(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @Query() query: ReceivablesQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    assertMerchantScope(principal, id, 'Merchant');
    const result = await this.money.receivables(id);
    if (query.format !== 'csv') return result;
    void reply.header('content-type', 'text/csv; charset=utf-8');
    return receivablesCsv(result.items);
  }
}
