import { Module } from '@nestjs/common';
import { OpsMeasuresController } from './ops-measures.controller';
import { ScorecardService } from './scorecard.service';
import { ServiceRatingService } from './service-rating.service';

/** Ops tooling: the measures (scorecard, service rating). The `/ops` page: src/common/web. */
@Module({
  controllers: [OpsMeasuresController],
  providers: [ScorecardService, ServiceRatingService],
})
export class OpsModule {}
