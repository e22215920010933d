import { Injectable } from '@nestjs/common';
import { buyerResponseFigures, type BuyerResponseFigures } from './buyer-response';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import type { ScorecardMoney } from './scorecard-money';
import { ScorecardMoneyRepository } from './scorecard-money.repository';
import { ScorecardRepository } from './scorecard.repository';
import {
  MerchantMeasures,
  merchantMeasures,
  SupplierMeasures,
  supplierMeasures,
} from './scorecard.pure';

export const SCORECARD_DEFAULT_DAYS = 28;
export const SCORECARD_MAX_DAYS = 366;
const DAY_MS = 86_400_000;

export type Scorecard = { supplierId: string; from: string; to: string } & SupplierMeasures & {
    /** money.md, "Measures": per currency (scorecard-money.ts). */
    money: ScorecardMoney[];
  };
export type MerchantScorecard = {
  merchantId: string;
  from: string;
  to: string;
} & MerchantMeasures & {
    buyerResponse: BuyerResponseFigures;
  };

/** The days a scorecard covers: `from` 00:00 UTC (inclusive) to the day after `to` (exclusive). */
interface ScorecardWindow {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The supplier and merchant scorecards (workflows.md and collaboration.md, "Measures"): the
 * repository loads one row of facts per case opened in the window, and the pure functions of
 * `scorecard.pure.ts` compute the figures.
 */
@Injectable()
export class ScorecardService {
  constructor(
    private readonly repository: ScorecardRepository,
    private readonly clock: Clock,
    private readonly moneyMeasures: ScorecardMoneyRepository,
  ) {}

  async scorecard(supplierId: string, fromDay?: string, toDay?: string): Promise<Scorecard> {
    const window = this.window(fromDay, toDay);
    if (!(await this.repository.supplierExists(supplierId))) throw ApiError.notFound('Supplier');
    const facts = await this.repository.caseFacts({ supplierId }, window.start, window.end);
    const measures = supplierMeasures(facts, this.clock.now().getTime());
    const money = await this.moneyMeasures.measures(supplierId, window.start, window.end);
    return { supplierId, from: window.from, to: window.to, ...measures, money };
  }

  async merchantScorecard(
    merchantId: string,
    fromDay?: string,
    toDay?: string,
  ): Promise<MerchantScorecard> {
    const window = this.window(fromDay, toDay);
    if (!(await this.repository.merchantExists(merchantId))) throw ApiError.notFound('Merchant');
    const facts = await this.repository.caseFacts({ merchantId }, window.start, window.end);
    const contacts = await this.repository.buyerContacts(merchantId, window.start, window.end);
    const buyerResponse = buyerResponseFigures(contacts);
    return {
      merchantId,
      from: window.from,
      to: window.to,
      ...merchantMeasures(facts),
      buyerResponse,
    };
  }

  /** The window of `from`..`to` (days, UTC, inclusive; default the last 28 days up to today). */
  private window(fromDay?: string, toDay?: string): ScorecardWindow {
    const to = toDay ?? utcDay(this.clock.now());
    const from =
      fromDay ??
      utcDay(new Date(Date.parse(`${to}T00:00:00Z`) - (SCORECARD_DEFAULT_DAYS - 1) * DAY_MS));
    const start = new Date(`${from}T00:00:00.000Z`);
    const end = new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS);
    if (end.getTime() <= start.getTime()) {
      throw ApiError.validation([{ field: 'to', problem: 'must be on or after from' }]);
    }
    if (end.getTime() - start.getTime() > SCORECARD_MAX_DAYS * DAY_MS) {
      throw ApiError.validation([
        { field: 'from', problem: `the window may span at most ${SCORECARD_MAX_DAYS} days` },
      ]);
    }
    return { from, to, start, end };
  }
}
