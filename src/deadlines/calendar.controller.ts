import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AddBusinessDaysAnswer,
  BusinessDaysService,
  CalendarCountriesAnswer,
} from './business-days.service';
import { AddBusinessDaysQuery } from './deadlines.dto';
import { Roles } from '../common/auth/auth.decorators';
import { ApiAnswer } from '../common/openapi/api-answers';

/** The business calendar deadlines are computed with, for anyone holding a key to check one. */
@ApiTags('calendar')
@ApiBearerAuth()
@Roles('ops', 'merchant', 'supplier')
@Controller('v1/calendar')
export class CalendarController {
  constructor(private readonly businessDays: BusinessDaysService) {}

  @Get('countries')
  @ApiOperation({
    summary: 'The countries business days can be counted in',
    description:
      'Every country whose public holidays Redress knows, by ISO 3166-1 alpha-2 code, with its ' +
      "English name and its capital's timezone (the zone deadlines are counted in unless a " +
      "supplier sets its own). A merchant's or supplier's `country` must be one of them.",
  })
  @ApiAnswer(200, 'CalendarCountries')
  countries(): CalendarCountriesAnswer {
    return this.businessDays.countries();
  }

  @Get('add-business-days')
  @ApiOperation({
    summary: 'N business days after a time (workflows.md, "Business days")',
    description:
      'The end (23:59:59.999 local) of the `days`-th business day after the local date of `from`, ' +
      "in the country capital's timezone, or the supplier's own (with its closures) when " +
      '`supplierId` is given. `from` may be an instant with offset or a bare date `YYYY-MM-DD`, ' +
      "which is taken as that local date in the calendar's timezone. `days` = 0 gives the end of " +
      "`from`'s own local day.",
  })
  @ApiAnswer(200, 'BusinessDaysAnswer')
  addBusinessDays(@Query() query: AddBusinessDaysQuery): Promise<AddBusinessDaysAnswer> {
    return this.businessDays.addBusinessDays({
      country: query.country,
      from: query.from,
      days: Number(query.days),
      supplierId: query.supplierId?.toLowerCase(),
    });
  }
}
