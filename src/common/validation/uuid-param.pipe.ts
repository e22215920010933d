import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiError } from '../errors/api-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * A path id that is not a UUID names nothing: 404 `not_found`, like an unknown id (never 400, and
 * never a database cast error). `@Param('id', new UuidParamPipe('Merchant'))`.
 */
@Injectable()
export class UuidParamPipe implements PipeTransform<unknown, string> {
  constructor(private readonly what = 'Resource') {}

  transform(value: unknown): string {
    if (!isUuid(value)) throw ApiError.notFound(this.what);
    return value.toLowerCase();
  }
}
