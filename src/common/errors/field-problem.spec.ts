import { Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';
import { ListCasesQuery } from '../../cases/case.dto';
import { roleRefusal } from '../auth/api-key.guard';
import { ApiError, FieldProblem } from './api-error';
import { fieldProblem, validationMessage } from './field-problem';
import { createValidationPipe } from './validation';

class Line {
  @IsString({ each: true }) tags: string[];
  @IsString() sku: string;
}
class Order {
  @ValidateNested() @Type(() => Line) line: Line;
}

/** What the global pipe answers for `value` as a `metatype` body: the 400's body. */
async function refusal(metatype: new () => object, value: unknown, type: 'body' | 'query') {
  const error: unknown = await createValidationPipe()
    .transform(value, { type, metatype })
    .then(() => null)
    .catch((e: unknown) => e);
  if (!(error instanceof ApiError)) throw new Error(`not refused: ${String(error)}`);
  return error.toBody();
}

describe('fieldProblem: the field is named once, in `field`', () => {
  it.each<[string, string, string]>([
    ['limit', 'limit must not be greater than 200', 'must not be greater than 200'],
    ['order.items.0.sku', 'sku must be a string', 'must be a string'],
    ['webhookUrl', 'webhookUrl must use https', 'must use https'],
    [
      'external.dueBy',
      'external.dueBy must be an ISO 8601 date-time',
      'must be an ISO 8601 date-time',
    ],
    ['order.items.0.unitPrice', 'unitPrice must be a decimal string', 'must be a decimal string'],
    ['colour', 'property colour should not exist', 'is not a known field'],
    [
      'order',
      'nested property order must be either object or array',
      'must be an object or an array',
    ],
    ['tags', 'each value in tags must be a string', 'each value must be a string'],
    [
      'name',
      'name must be longer than or equal to 1 characters',
      'must be longer than or equal to 1 character',
    ],
    ['order.items', 'items must contain at least 1 elements', 'must contain at least 1 element'],
    [
      'order.items',
      'items must contain no more than 500 elements',
      'must contain no more than 500 elements',
    ],
    // Already a phrase about the field: left as it is.
    ['cursor', 'is not a cursor this API returned', 'is not a cursor this API returned'],
    // A word that merely begins like the field is not the field.
    ['to', 'total must be positive', 'total must be positive'],
  ])('%s: %p -> %p', (field, problem, expected) => {
    expect(fieldProblem(field, problem)).toEqual({ field, problem: expected });
  });

  it('the message gives each problem once, after its field', () => {
    const details: FieldProblem[] = [
      { field: 'limit', problem: 'must not be greater than 200' },
      { field: 'cursor', problem: 'is not a cursor this API returned' },
    ];
    expect(validationMessage(details)).toBe(
      'Invalid request: limit must not be greater than 200; cursor is not a cursor this API returned',
    );
  });

  it('ApiError.validation cleans every source of problems, not only class-validator', () => {
    const body = ApiError.validation([
      { field: 'webhookUrl', problem: 'webhookUrl must use https' },
    ]).toBody();
    expect(body).toEqual({
      statusCode: 400,
      error: 'validation_failed',
      message: 'Invalid request: webhookUrl must use https',
      details: [{ field: 'webhookUrl', problem: 'must use https' }],
    });
  });
});

describe("the validation pipe's 400, from class-validator's real messages", () => {
  it('GET /v1/cases?limit=500: limit named once', async () => {
    const body = await refusal(ListCasesQuery, { limit: '500' }, 'query');
    expect(body.details).toEqual([{ field: 'limit', problem: 'must not be greater than 200' }]);
    expect(body.message).toBe('Invalid request: limit must not be greater than 200');
  });

  it('a custom message that names its field (supplierId must be a UUID) names it once', async () => {
    const body = await refusal(ListCasesQuery, { supplierId: 'x' }, 'query');
    expect(body.details).toEqual([{ field: 'supplierId', problem: 'must be a UUID' }]);
  });

  it('nested fields, lists and unknown fields', async () => {
    const body = await refusal(
      Order,
      { line: { tags: ['a', 3], sku: 7, colour: 'red' }, extra: 1 },
      'body',
    );
    expect(body.details).toEqual(
      expect.arrayContaining([
        { field: 'extra', problem: 'is not a known field' },
        { field: 'line.colour', problem: 'is not a known field' },
        { field: 'line.tags', problem: 'each value must be a string' },
        { field: 'line.sku', problem: 'must be a string' },
      ]),
    );
    expect(body.details).toHaveLength(4);
    const noObject = await refusal(Order, { line: 'flat' }, 'body');
    expect(noObject.details).toContainEqual({
      field: 'line',
      problem: 'must be an object or an array',
    });
  });
});

describe('the 403 for a role a route does not take', () => {
  it.each<[Parameters<typeof roleRefusal>[0], string]>([
    [['ops'], 'This route needs an ops key'],
    [['ops', 'merchant'], 'This route needs an ops or merchant key'],
    [['merchant', 'ops'], 'This route needs a merchant or ops key'],
    [['supplier'], 'This route needs a supplier key'],
  ])('%j: %s', (roles, message) => {
    expect(roleRefusal(roles)).toBe(message);
  });
});
