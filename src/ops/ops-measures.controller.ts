import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertMerchantScope, CurrentPrincipal, Roles } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiError } from '../common/errors/api-error';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';
import { ScorecardQuery, ServiceRatingQuery } from './ops-measures.dto';
import { MerchantScorecardDto, SupplierScorecardDto } from './scorecard.dto';
import { MerchantScorecard, Scorecard, ScorecardService } from './scorecard.service';
import { ServiceRating, ServiceRatingService } from './service-rating.service';
import { ApiAnswer } from '../common/openapi/api-answers';

/**
 * The measures of workflows.md and collaboration.md, "Measures": the supplier and merchant
 * scorecards and the merchant service rating.
 */
const WINDOW =
  "The party's cases opened from `from` 00:00 UTC to `to` 23:59:59.999 UTC (default: the 28 " +
  'days up to today), at most 366 days, withdrawn cases left out. Each figure is defined in the ' +
  'response schema.';

@ApiTags('measures')
@ApiBearerAuth()
@Controller('v1')
export class OpsMeasuresController {
  constructor(
    private readonly scorecards: ScorecardService,
    private readonly ratings: ServiceRatingService,
  ) {}

  @Get('suppliers/:id/scorecard')
  @Roles('ops')
  @ApiOperation({
    summary: "A supplier's scorecard over a window of days (default: the last 28 days)",
    description: WINDOW,
  })
  @ApiOkResponse({ type: SupplierScorecardDto })
  scorecard(
    @Param('id', new UuidParamPipe('Supplier')) id: string,
    @Query() query: ScorecardQuery,
  ): Promise<Scorecard> {
    return this.scorecards.scorecard(id, query.from, query.to);
  }

  @Get('merchants/:id/scorecard')
  @Roles('ops', 'merchant')
  @ApiOperation({
    summary: "A merchant's scorecard over a window of days (a merchant key: its own only)",
    description: WINDOW,
  })
  @ApiOkResponse({ type: MerchantScorecardDto })
  merchantScorecard(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @Query() query: ScorecardQuery,
  ): Promise<MerchantScorecard> {
    assertMerchantScope(principal, id, 'Merchant');
    return this.scorecards.merchantScorecard(id, query.from, query.to);
  }

  @Get('merchants/:id/service-rating')
  @Roles('ops', 'merchant')
  @ApiOperation({
    summary: "A merchant's customer-service rating at a time (a merchant key: its own only)",
    description:
      'The rating computed at the last Monday 00:00 UTC at or before `at` (`computedAt`), over ' +
      'the answers given in the 28 days before it (`windowStart` inclusive, `windowEnd` ' +
      'exclusive), counting only the last answer of each case: 10 x resolved / answered. Shown ' +
      'from 40 answered cases on; below that, the latest earlier weekly computation that had ' +
      'enough (looking back up to 52 weeks), else `rating` and `band` are null. Band: red below ' +
      '6, yellow from 6 to below 8, green from 8. Withdrawn cases are left out.',
  })
  @ApiAnswer(200, 'ServiceRating')
  serviceRating(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new UuidParamPipe('Merchant')) id: string,
    @Query() query: ServiceRatingQuery,
  ): Promise<ServiceRating> {
    assertMerchantScope(principal, id, 'Merchant');
    let at: Date | undefined;
    if (query.at !== undefined) {
      at = new Date(query.at);
      if (Number.isNaN(at.getTime())) {
        throw ApiError.validation([{ field: 'at', problem: 'is not a valid time' }]);
      }
    }
    return this.ratings.ratingAt(id, at);
  }
}
