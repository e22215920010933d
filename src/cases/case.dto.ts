import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsIsoDate, SUPPORTED_YEARS, toUtcTime } from '../common/validation/validators';
import { CASE_TYPES, payloadFieldsText, PLATFORMS, type Platform } from '../workflows';

const DECIMAL = /^(0|[1-9]\d{0,14})(\.\d{1,4})?$/;
const COUNTRY = /^[A-Z]{2}$/;
const OPENED_AT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class OrderItemDto {
  @ApiProperty() @IsString() @Length(1, 200) sku: string;
  @ApiProperty() @IsInt() @Min(1) @Max(1_000_000) quantity: number;
  @ApiProperty({ example: '19.99' })
  @IsString()
  @Matches(DECIMAL, { message: 'unitPrice must be a decimal string such as "19.99"' })
  unitPrice: string;
}

export class MoneyDto {
  @ApiProperty({ example: '39.98' })
  @IsString()
  @Matches(DECIMAL, { message: 'amount must be a decimal string such as "39.98"' })
  amount: string;
  @ApiProperty({ example: 'EUR' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as "EUR"' })
  currency: string;
}

/** A time {@link toUtcTime} has turned into UTC (what it could not turn is refused here). */
const IsUtcTime = (field: string) =>
  ValidateBy({
    name: 'isUtcTime',
    validator: {
      validate: (value) => typeof value === 'string' && toUtcTime(value) === value,
      defaultMessage: () =>
        `${field} must be an ISO 8601 date-time with offset (2026-11-02T10:00:00Z) or a date, ` +
        `from ${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}`,
    },
  });

export class OrderDto {
  @ApiProperty() @IsString() @Length(1, 200) ref: string;
  @ApiProperty({
    example: '2026-11-02T10:00:00Z',
    description: 'ISO 8601 with offset, or a date (its 00:00 UTC); stored and answered in UTC',
  })
  @Transform(({ value }: { value: unknown }) => toUtcTime(value) ?? value)
  @IsUtcTime('placedAt')
  placedAt: string;
  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-11-05', nullable: true })
  @IsOptional()
  @IsIsoDate({ message: 'promisedShipBy must be a date YYYY-MM-DD that exists' })
  promisedShipBy?: string | null;
  @ApiPropertyOptional({
    type: String,
    example: '2026-11-06T08:00:00Z',
    nullable: true,
    description: 'ISO 8601 with offset, or a date (its 00:00 UTC); null: not shipped',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => toUtcTime(value) ?? value)
  @IsUtcTime('shippedAt')
  shippedAt?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'LX123456789CN' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  trackingNumber?: string | null;
  @ApiProperty({ example: 'CN' })
  @Matches(COUNTRY, { message: 'originCountry must be an ISO 3166-1 alpha-2 code such as "CN"' })
  originCountry: string;
  @ApiProperty({ example: 'FR' })
  @Matches(COUNTRY, {
    message: 'destinationCountry must be an ISO 3166-1 alpha-2 code such as "FR"',
  })
  destinationCountry: string;
  @ApiProperty({ type: [OrderItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items: OrderItemDto[];
  @ApiProperty({ type: MoneyDto })
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyDto)
  total: MoneyDto;
}

/** A payment dispute on a platform (lost-and-disputed.md). */
export class ExternalDisputeDto {
  @ApiProperty({ enum: PLATFORMS }) @IsIn(PLATFORMS) platform: Platform;
  @ApiProperty({ example: 'dp_1QxZ', description: "The platform's id of the dispute" })
  @IsString()
  @Length(1, 200)
  reference: string;
  @ApiProperty({
    example: '2026-11-20T23:59:00Z',
    description:
      "When the platform stops accepting the merchant's answer: `external_due` is 24 h before, " +
      'with warnings 72 h and 24 h before that',
  })
  @Transform(({ value }: { value: unknown }) => toUtcTime(value) ?? value)
  @IsUtcTime('external.dueBy')
  dueBy: string;
}

/** The buyer-protection window of the marketplace the merchant bought from the supplier on. */
export class PlatformWindowDto {
  @ApiProperty({ enum: PLATFORMS }) @IsIn(PLATFORMS) platform: Platform;
  @ApiProperty({
    example: '2026-12-01T00:00:00Z',
    description:
      'When the window closes: `merchant.platform_window_closing` 48 h before, a breach ' +
      '(`platform_window`, counted against nobody) if the case is still open then',
  })
  @Transform(({ value }: { value: unknown }) => toUtcTime(value) ?? value)
  @IsUtcTime('platformWindow.closesAt')
  closesAt: string;
}

export class ClaimItemDto {
  @ApiProperty({ example: 'SKU-1', description: 'A sku of the order' })
  @IsString()
  @Length(1, 200)
  sku: string;
  @ApiProperty({ example: 1, description: 'At most the quantity ordered' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity: number;
}

/** money.md, "The claim". */
export class ClaimDto {
  @ApiPropertyOptional({
    type: [ClaimItemDto],
    description: 'The order lines concerned (default: every line of the order)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => ClaimItemDto)
  items?: ClaimItemDto[];
  @ApiPropertyOptional({
    example: '19.99',
    description:
      "Claimed from the supplier, in the order's currency with at most its minor digits " +
      '(default: the sum of quantity x unitPrice of the claimed lines, or order.total without ' +
      'items); above order.total: 422 unprocessable',
  })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,15}(\.\d{1,18})?$/, {
    message: 'amount must be a decimal string such as "19.99"',
  })
  amount?: string;
}

export class OpenCaseDto {
  @ApiProperty({ enum: CASE_TYPES }) @IsIn(CASE_TYPES) type: (typeof CASE_TYPES)[number];
  @ApiPropertyOptional({
    description:
      "Required unless `orderRef` names an order that has its supplier (the order's is used)",
  })
  @ValidateIf((o: OpenCaseDto) => o.orderRef === undefined || o.supplierId !== undefined)
  @IsUUID('all', { message: 'supplierId must be a UUID' })
  supplierId?: string;
  @ApiPropertyOptional({
    description: 'Required for ops keys; a merchant key opens for its merchant',
  })
  @IsOptional()
  @IsUUID('all', { message: 'merchantId must be a UUID' })
  merchantId?: string;
  @ApiPropertyOptional({ type: OrderDto, description: 'The order; or `orderRef` instead' })
  @ValidateIf((o: OpenCaseDto) => o.orderRef === undefined || o.order !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => OrderDto)
  order?: OrderDto;
  @ApiPropertyOptional({
    description:
      "The ref of one of the merchant's orders (POST /v1/orders), instead of `order`: the case " +
      'keeps a copy of the order as it is now; unknown: 422 unknown_order',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  orderRef?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) description?: string;
  @ApiPropertyOptional({ example: 'fr' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/, {
    message: 'buyerLanguage must be a language tag such as "fr"',
  })
  buyerLanguage?: string;
  @ApiPropertyOptional({ enum: ['reship', 'refund'] })
  @IsOptional()
  @IsIn(['reship', 'refund'])
  preferredResolution?: 'reship' | 'refund';
  @ApiPropertyOptional({ type: ExternalDisputeDto, description: 'Required for payment_dispute' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ExternalDisputeDto)
  external?: ExternalDisputeDto;
  @ApiPropertyOptional({
    description:
      'payment_dispute: the supplier case about the same order (your own); it gets a `LINKED` entry',
  })
  @IsOptional()
  @IsUUID('all', { message: 'linkedCaseId must be a UUID' })
  linkedCaseId?: string;
  @ApiPropertyOptional({ type: PlatformWindowDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PlatformWindowDto)
  platformWindow?: PlatformWindowDto;
  @ApiPropertyOptional({
    enum: ['buyer', 'merchant'],
    description: "address_error: whose data the address came from (the case's liability)",
  })
  @IsOptional()
  @IsIn(['buyer', 'merchant'])
  source?: 'buyer' | 'merchant';
  @ApiPropertyOptional({
    type: ClaimDto,
    description: 'What is claimed from the supplier (money.md); default: the whole order',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ClaimDto)
  claim?: ClaimDto;
}

export class MessageDto {
  @ApiProperty({
    example: 'Could you send a photo of the parcel before it left?',
    description: '1 to 10,000 characters, not only spaces',
  })
  @IsString()
  @Matches(/\S/, { message: 'text must not be empty' })
  @MaxLength(10_000)
  text: string;
}

export class CaseEventDto {
  @ApiProperty({ example: 'NOTE' }) @IsString() @Length(1, 64) type: string;
  @ApiPropertyOptional({
    example: { text: 'Buyer called' },
    description:
      'The fields the event defines, and no other (400 otherwise); text fields at most 10,000 ' +
      'characters, the whole at most 64 KiB as JSON. ' +
      payloadFieldsText(),
  })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;
}

export class FeedbackDto {
  @ApiProperty() @IsBoolean() resolved: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class ListCasesQuery {
  @ApiPropertyOptional({ enum: ['open', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'closed'])
  status?: 'open' | 'closed';
  @ApiPropertyOptional({ enum: CASE_TYPES })
  @IsOptional()
  @IsIn(CASE_TYPES)
  type?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: "One supplier's cases (a supplier key sees its own only)",
  })
  @IsOptional()
  @IsUUID('all', { message: 'supplierId must be a UUID' })
  supplierId?: string;
  @ApiPropertyOptional({
    format: 'uuid',
    description: "Ops: one merchant's cases (a merchant key sees its own only)",
  })
  @IsOptional()
  @IsUUID('all', { message: 'merchantId must be a UUID' })
  merchantId?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Cases with a deadline missed' })
  @IsOptional()
  @IsIn(['true', 'false'])
  breached?: 'true' | 'false';
  @ApiPropertyOptional({
    description: 'Open cases with a live deadline (`nextDeadline`) before this time',
  })
  @IsOptional()
  @Matches(OPENED_AT, { message: 'dueBefore must be a date YYYY-MM-DD or an ISO 8601 instant' })
  dueBefore?: string;
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      '`true`: the answer also says `total`, how many cases match the filters (all pages)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeTotal?: 'true' | 'false';
  @ApiPropertyOptional({
    enum: ['createdAt', 'dueAt'],
    description:
      '`dueAt`: by `nextDeadline.dueAt`, earliest first, cases without one last; default newest first',
  })
  @IsOptional()
  @IsIn(['createdAt', 'dueAt'])
  sort?: 'createdAt' | 'dueAt';
  @ApiPropertyOptional({ enum: ['merchant', 'supplier', 'ops'], description: 'Who must act' })
  @IsOptional()
  @IsIn(['merchant', 'supplier', 'ops'])
  waitingOn?: 'merchant' | 'supplier' | 'ops';
  @ApiPropertyOptional({ description: 'The cases of the order with this `ref`', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  orderRef?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Cases per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page, as given' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
  @ApiPropertyOptional({
    example: '2027-01-01',
    description: 'Opened on or after: a date (that UTC day) or an ISO 8601 instant',
  })
  @IsOptional()
  @Matches(OPENED_AT, { message: 'openedFrom must be a date YYYY-MM-DD or an ISO 8601 instant' })
  openedFrom?: string;
  @ApiPropertyOptional({
    example: '2027-01-31',
    description: 'Opened on or before: a date (the whole UTC day) or an ISO 8601 instant',
  })
  @IsOptional()
  @Matches(OPENED_AT, { message: 'openedTo must be a date YYYY-MM-DD or an ISO 8601 instant' })
  openedTo?: string;
}
