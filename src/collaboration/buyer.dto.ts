import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  MaxLength,
  ValidateBy,
} from 'class-validator';
import { textProblem } from '../workflows';

/** A text field by the rule every text of a case follows (1..10,000 characters, not blank). */
const IsCaseText = () =>
  ValidateBy({
    name: 'isCaseText',
    validator: {
      validate: (value: unknown) => textProblem(value) === null,
      defaultMessage: (args) => `${args?.property ?? 'text'} ${textProblem(args?.value) ?? ''}`,
    },
  });

/** `POST /v1/buyer/<token>/statement`: what happened, and the order lines concerned. */
export class BuyerStatementDto {
  @ApiProperty({ example: 'The lamp arrived broken: the glass shade is in pieces.' })
  @IsCaseText()
  text: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['SKU-1'],
    description: 'SKUs of the order lines concerned (each one of the order’s, once)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  items?: string[];
}
