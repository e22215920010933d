import { Module } from '@nestjs/common';
import { OpsMeasuresController } from './ops-measures.controller';
import { OpsPageController } from './ops-page.controller';
import { ScorecardRepository } from './scorecard.repository';
import { ScorecardService } from './scorecard.service';
import { ServiceRatingService } from './service-rating.service';

/** Ops tooling: the measures (supplier and merchant scorecards, service rating) and the `/ops` page (web/ops). */
@Module({
  controllers: [OpsMeasuresController, OpsPageController],
  providers: [ScorecardRepository, ScorecardService, ServiceRatingService],
})
export class OpsModule {}
