import { ApiProperty } from '@nestjs/swagger';
import { SCORECARD_MONEY_DEFINITION, type ScorecardMoney } from './scorecard-money';
import type { MerchantScorecard, Scorecard } from './scorecard.service';

/**
 * The scorecards' response schemas; their descriptions are the definitions (scorecard.pure.ts
 * holds the rules). Common to both: the cases are those of the party opened from `from` 00:00 UTC
 * to `to` 23:59:59.999 UTC, except withdrawn ones (a withdrawn case counts in no metric). Rates and
 * shares are fractions 0..1, null when their denominator is 0.
 */
const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;
const SHARE = { type: Number, nullable: true, minimum: 0, maximum: 1 } as const;
const MESSAGES_PER_CLOSED_CASE =
  'Mean number of `MESSAGE` entries (from anyone) per closed case; null when none is closed.';

export class FirstResponseDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 3.5,
    description:
      "Median hours to the supplier's first answer, over the cases where it can be timed: the " +
      'first entry from the supplier itself (a `MESSAGE`, `ACKNOWLEDGED` or any other of its ' +
      'events, by webhook, supplier key or link), timed from when the case first waited on the ' +
      'supplier (the start of its first `supplier_response` clock; the opening if it had none). ' +
      'A case whose first answer on record is an outcome the merchant relayed on its behalf is ' +
      "not timed: that entry's time is when the merchant recorded it, not when the supplier " +
      'answered. Null if no case can be timed.',
  })
  medianHours!: number | null;

  @ApiProperty({
    ...SHARE,
    example: 0.8,
    description:
      'Cases answered within 24 hours / cases where that is settled: answered by the supplier ' +
      'itself (timed as for `medianHours`), or put to the supplier and left without any answer ' +
      'for 24 hours (until now, or until the case closed). Cases answered only through the ' +
      'merchant, never put to the supplier, or still inside their 24 hours are left out.',
  })
  within24hShare!: number | null;
}

export class SupplierScorecardDto implements Scorecard {
  @ApiProperty({ format: 'uuid' })
  supplierId!: string;

  @ApiProperty({ example: '2026-10-01', description: 'First day (UTC), inclusive' })
  from!: string;

  @ApiProperty({ example: '2026-10-28', description: 'Last day (UTC), inclusive' })
  to!: string;

  @ApiProperty({ description: "The supplier's cases in the window, withdrawn ones left out" })
  cases!: number;

  @ApiProperty({ ...COUNTS, description: 'Those cases counted by case type' })
  byType!: Record<string, number>;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: '`firstResponse.medianHours` in seconds',
  })
  firstResponseMedianSeconds!: number | null;

  @ApiProperty({ type: FirstResponseDto })
  firstResponse!: FirstResponseDto;

  @ApiProperty({
    ...SHARE,
    description:
      'Cases whose `supplier_response` deadline was missed / cases with a `supplier_response` ' +
      'deadline settled (fired or cleared); a clock still running is not counted.',
  })
  supplierResponseBreachRate!: number | null;

  @ApiProperty({
    ...SHARE,
    description:
      'Cases with a missed `resolution_due` or `refund_due` deadline / cases that had one of ' +
      'those deadlines settled (fired or cancelled).',
  })
  resolutionBreachRate!: number | null;

  @ApiProperty({
    ...SHARE,
    description:
      '`VERIFICATION_CONFIRMED` / (`VERIFICATION_CONFIRMED` + `VERIFICATION_REJECTED`) ' +
      'decisions on those cases, whoever recorded them (an appeal can bring a second decision).',
  })
  verificationConfirmRate!: number | null;

  @ApiProperty({
    description:
      'Cases closed with outcome `refunded`, `intercepted_refunded` or `supplier_switched`',
  })
  refunds!: number;

  @ApiProperty({ description: 'Cases closed with outcome `reshipped`' })
  reships!: number;

  @ApiProperty({ ...SHARE, description: '`late_shipment` cases / all cases' })
  lateShipmentRate!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: MESSAGES_PER_CLOSED_CASE })
  messagesPerClosedCase!: number | null;

  @ApiProperty({
    ...SHARE,
    description:
      "The supplier's outcomes the merchant recorded on its behalf (entries whose actor is " +
      '`{kind: "merchant", onBehalfOf: "supplier"}`) / all its outcomes (those and the entries ' +
      'from the supplier itself), messages, notes and evidence aside. Relayed outcomes count as ' +
      "the supplier's in every other figure.",
  })
  relayedShare!: number | null;

  @ApiProperty({ type: () => [ScorecardMoneyDto], description: SCORECARD_MONEY_DEFINITION })
  money!: ScorecardMoneyDto[];
}

/** money.md, "Measures": one currency of a supplier's scorecard. */
export class ScorecardMoneyDto implements ScorecardMoney {
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ example: '159.92' }) claimed!: string;
  @ApiProperty({ example: '39.98' }) refunded!: string;
  @ApiProperty({ example: '39.98' }) outstanding!: string;
  @ApiProperty({ example: '0.00' }) writtenOff!: string;
  @ApiProperty({ type: Number, nullable: true }) medianBusinessDaysToFullRefund!: number | null;
}

export class BuyerResponseDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Contacts answered within 24 h / settled contacts (0..1); null with none',
  })
  within24hShare!: number | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Median hours to the answer over those answered in time; null with none',
  })
  medianHours!: number | null;
}

export class MerchantScorecardDto implements MerchantScorecard {
  @ApiProperty({ format: 'uuid' })
  merchantId!: string;

  @ApiProperty({ example: '2026-10-01', description: 'First day (UTC), inclusive' })
  from!: string;

  @ApiProperty({ example: '2026-10-28', description: 'Last day (UTC), inclusive' })
  to!: string;

  @ApiProperty({ description: "The merchant's cases in the window, withdrawn ones left out" })
  cases!: number;

  @ApiProperty({ ...COUNTS, description: 'Those cases counted by case type' })
  byType!: Record<string, number>;

  @ApiProperty({ ...COUNTS, description: 'Those of them closed, counted by outcome' })
  byOutcome!: Record<string, number>;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Median hours from opening to closing over the closed ones; null if none',
  })
  medianHoursToClose!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: MESSAGES_PER_CLOSED_CASE })
  messagesPerClosedCase!: number | null;

  @ApiProperty({
    ...COUNTS,
    description:
      'Missed deadlines (`SLA_BREACHED`) held against the merchant, counted by deadline kind: ' +
      'on cases whose `liability` is `merchant`, and never `customs_due` or `platform_window` ' +
      '(counted against nobody)',
  })
  breachesByKind!: Record<string, number>;

  @ApiProperty({
    type: BuyerResponseDto,
    description:
      "The buyer's 24 hours (`BUYER_CONTACTED` / `BUYER_ANSWERED`) over the contacts made in the " +
      'window whose clock is settled',
  })
  buyerResponse!: BuyerResponseDto;
}
