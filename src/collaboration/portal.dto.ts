import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/**
 * A message through a link: `{text}`. Its length (1..10,000 characters) is the MESSAGE event's
 * rule, checked where every event's payload is (event-admission.ts); the byte cap here only keeps
 * a huge string from being counted.
 */
export class PortalMessageDto {
  @ApiProperty({ example: 'The parcel left our warehouse today.' })
  @IsString()
  @MaxLength(40_000)
  text: string;
}
