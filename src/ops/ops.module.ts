import { Module } from '@nestjs/common';
import { DueDatesModule } from '../deadlines/due-dates.module';
import { OpsMeasuresController } from './ops-measures.controller';
import { OpsPageController } from './ops-page.controller';
import { ScorecardRepository } from './scorecard.repository';
import { ScorecardMoneyRepository } from './scorecard-money.repository';
import { ScorecardService } from './scorecard.service';
import { ServiceRatingService } from './service-rating.service';

/** Ops tooling: the measures (supplier and merchant scorecards, service rating) and the `/ops` page (web/ops). */
@Module({
  imports: [DueDatesModule],
  controllers: [OpsMeasuresController, OpsPageController],
  providers: [
    ScorecardRepository,
    ScorecardMoneyRepository,
    ScorecardService,
    ServiceRatingService,
  ],
})
export class OpsModule {}
