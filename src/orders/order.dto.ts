import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { OrderDto } from '../cases/case.dto';
import { toUtcTime } from '../common/validation/validators';

const IsUtcTime = ValidateBy({
  name: 'isUtcTime',
  validator: {
    validate: (value) => typeof value === 'string' && toUtcTime(value) === value,
    defaultMessage: () =>
      'shippedAt must be an ISO 8601 date-time with offset (2026-11-02T10:00:00Z) or a date',
  },
});

export class ShipmentDto {
  @ApiProperty({ example: 'LX123456789CN' }) @IsString() @Length(1, 100) trackingNumber: string;
  @ApiPropertyOptional({ example: 'china-post' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  carrier?: string;
  @ApiProperty({ example: '2026-11-03T08:00:00Z' })
  @Transform(({ value }: { value: unknown }) => toUtcTime(value) ?? value)
  @IsUtcTime
  shippedAt: string;
}

/** The order shape of workflows.md, plus its parcels and its supplier (intake.md). */
export class UpsertOrderDto extends OrderDto {
  @ApiPropertyOptional({ type: [ShipmentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ShipmentDto)
  shipments?: ShipmentDto[];
  @ApiPropertyOptional({
    description: 'The supplier that ships it; cases opened by orderRef use it',
  })
  @IsOptional()
  @IsUUID('all', { message: 'supplierId must be a UUID' })
  supplierId?: string;
  @ApiPropertyOptional({ description: 'Required for ops keys; a merchant key writes its own' })
  @IsOptional()
  @IsUUID('all', { message: 'merchantId must be a UUID' })
  merchantId?: string;
}

export class ListOrdersQuery {
  @ApiPropertyOptional({ description: "The merchant's order reference" })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  ref?: string;
  @ApiPropertyOptional({ description: 'Ops: one merchant only' })
  @IsOptional()
  @IsUUID('all', { message: 'merchantId must be a UUID' })
  merchantId?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50, description: 'Orders per page' })
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
}

export class ImportOrdersQuery {
  @ApiPropertyOptional({ description: 'Required for ops keys' })
  @IsOptional()
  @IsUUID('all', { message: 'merchantId must be a UUID' })
  merchantId?: string;
}
