import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class ShopifyIntegrationDto {
  @ApiProperty({ description: "The Shopify app's client secret; never answered back" })
  @IsString()
  @Length(8, 500)
  secret: string;
  @ApiProperty({ example: 'my-shop.myshopify.com' })
  @Matches(/^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)+$/i, {
    message: 'shopDomain must be a domain such as my-shop.myshopify.com',
  })
  @Length(3, 255)
  shopDomain: string;
  @ApiPropertyOptional({
    description: "The supplier given to the shop's orders (Shopify's orders name none)",
  })
  @IsOptional()
  @IsUUID('all', { message: 'supplierId must be a UUID' })
  supplierId?: string;
}

export class AfterShipIntegrationDto {
  @ApiProperty({ description: 'The AfterShip webhook secret; never answered back' })
  @IsString()
  @Length(8, 500)
  secret: string;
}

export class AutoOpenDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() late_shipment?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() customs_delay?: boolean;
  @ApiPropertyOptional({ description: 'Stored; the lost_parcel type comes with issue 20' })
  @IsOptional()
  @IsBoolean()
  lost_parcel?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() buyer_cancellation?: boolean;
}

export class LostAfterDaysDto {
  @ApiPropertyOptional({ example: 10 }) @IsOptional() @IsInt() @Min(1) @Max(365) domestic?: number;
  @ApiPropertyOptional({ example: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  international?: number;
}

export class MerchantSettingsDto {
  @ApiPropertyOptional({ type: AutoOpenDto, description: 'Every switch is off by default' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AutoOpenDto)
  autoOpen?: AutoOpenDto;
  @ApiPropertyOptional({ type: LostAfterDaysDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LostAfterDaysDto)
  lostAfterDays?: LostAfterDaysDto;
}
