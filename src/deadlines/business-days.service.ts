import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/errors/api-error';
import { SupplierService } from '../suppliers/supplier.service';
import { CalendarCountry, CalendarError, CalendarSpec } from './calendar';
import { isBareDate, parseInstant } from '../common/validation/validators';
import { DueDateService } from './due-date.service';

export interface AddBusinessDaysRequest {
  country?: string;
  from: string;
  days: number;
  supplierId?: string;
}

export interface AddBusinessDaysAnswer {
  from: string;
  days: number;
  country: string;
  timezone: string;
  supplierId: string | null;
  /** The local date counting started after (from's local date in `timezone`). */
  fromDate: string;
  dueDate: string;
  dueAt: string;
}

export interface CalendarCountriesAnswer {
  data: readonly CalendarCountry[];
}

/**
 * "N business days after T" for anyone to check a deadline (api.md, calendar route), with the
 * same calendar instance the case service resolves deadlines with.
 */
@Injectable()
export class BusinessDaysService {
  constructor(
    private readonly dueDates: DueDateService,
    private readonly suppliers: SupplierService,
  ) {}

  countries(): CalendarCountriesAnswer {
    return { data: this.dueDates.calendar.countries() };
  }

  async addBusinessDays(request: AddBusinessDaysRequest): Promise<AddBusinessDaysAnswer> {
    const spec = await this.specFor(request);
    const calendar = this.dueDates.calendar;
    try {
      const timezone = calendar.timezoneOf(spec);
      // Only the local date counts: a bare date stands for any instant of that local day.
      const from = isBareDate(request.from)
        ? calendar.endOfLocalDay(request.from, timezone)
        : parseInstant(request.from);
      if (!from) throw ApiError.validation([{ field: 'from', problem: 'is not a valid time' }]);
      const deadline = calendar.addBusinessDays(from, request.days, spec);
      return {
        from: isBareDate(request.from) ? request.from : from.toISOString(),
        days: request.days,
        country: spec.country,
        timezone,
        supplierId: request.supplierId ?? null,
        fromDate: calendar.localDate(from, timezone),
        dueDate: deadline.dueDate,
        dueAt: deadline.dueAt.toISOString(),
      };
    } catch (error) {
      if (error instanceof CalendarError) throw asValidation(error);
      throw error;
    }
  }

  private async specFor(request: AddBusinessDaysRequest): Promise<CalendarSpec> {
    if (request.supplierId === undefined) {
      if (request.country === undefined) {
        throw ApiError.validation([
          { field: 'country', problem: 'is required without supplierId' },
        ]);
      }
      return { country: request.country };
    }
    const supplier = await this.suppliers.findById(request.supplierId);
    if (!supplier) throw ApiError.notFound('Supplier');
    if (request.country !== undefined && request.country !== supplier.country) {
      throw ApiError.validation([
        {
          field: 'country',
          problem: `must be the supplier's country (${supplier.country}) or be left out`,
        },
      ]);
    }
    return {
      country: supplier.country,
      timezone: supplier.timezone,
      closures: await this.suppliers.closures(supplier.id),
    };
  }
}

/** Every calendar refusal is about one query field; stored closures were checked when added. */
function asValidation(error: CalendarError): ApiError | CalendarError {
  switch (error.code) {
    case 'unknown_country':
      return ApiError.validation([{ field: 'country', problem: 'has no public holiday data' }]);
    case 'invalid_days':
    case 'out_of_range':
      return ApiError.validation([{ field: 'days', problem: error.message }]);
    case 'invalid_date':
      return ApiError.validation([{ field: 'from', problem: error.message }]);
    case 'invalid_timezone':
    case 'invalid_closure':
      return error;
  }
}
