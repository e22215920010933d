import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { Answer, Band, earliestAnswerNeeded, lastMonday, ratingAt } from './service-rating.pure';
import { COUNTS_FOR_MERCHANT_SQL } from './merchant-measures';

export interface ServiceRating {
  merchantId: string;
  rating: number | null;
  band: Band | null;
  answeredCases: number;
  windowStart: string;
  windowEnd: string;
  computedAt: string;
}

/**
 * The merchant customer-service rating (workflows.md, "Measures"): loads the buyers' answers the
 * computation may need (this week's window and the bounded look-back), and lets the pure rules of
 * `service-rating.pure.ts` decide. Answers on withdrawn cases, and on cases whose liability is not
 * the merchant's (merchant-measures.ts), are left out.
 */
@Injectable()
export class ServiceRatingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async ratingAt(merchantId: string, at?: Date): Promise<ServiceRating> {
    const exists = await this.dataSource.query<unknown[]>(`SELECT 1 FROM merchants WHERE id = $1`, [
      merchantId,
    ]);
    if (exists.length === 0) throw ApiError.notFound('Merchant');
    const when = at ?? this.clock.now();
    const rows = await this.dataSource.query<
      { case_id: string; resolved: boolean; created_at: Date }[]
    >(
      `SELECT f.case_id, f.resolved, f.created_at FROM case_feedback f JOIN cases c ON c.id = f.case_id
       WHERE f.merchant_id = $1 AND f.created_at >= $2 AND f.created_at < $3
         AND ${COUNTS_FOR_MERCHANT_SQL}
       ORDER BY f.created_at`,
      [merchantId, earliestAnswerNeeded(when), lastMonday(when)],
    );
    const answers: Answer[] = rows.map((row, order) => ({
      caseId: row.case_id,
      resolved: row.resolved,
      at: new Date(row.created_at),
      order,
    }));
    const shown = ratingAt(answers, when);
    return {
      merchantId,
      rating: shown.rating,
      band: shown.band,
      answeredCases: shown.answeredCases,
      windowStart: shown.windowStart.toISOString(),
      windowEnd: shown.windowEnd.toISOString(),
      computedAt: shown.computedAt.toISOString(),
    };
  }
}
