import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CasesModule } from '../cases/cases.module';
import { MoneyModule } from '../money/money.module';
import { TimelineModule } from '../timeline/timeline.module';
import { EvidenceContent } from './evidence-content.service';
import { EvidenceController } from './evidence.controller';
import { EvidenceRepository } from './evidence.repository';
import { EvidenceService } from './evidence.service';
import { EvidencePacket } from './packet/evidence-packet.service';
import { EVIDENCE_STORE } from './store/evidence-store';
import { createEvidenceStore } from './store/evidence-store.factory';

/**
 * Evidence that holds (evidence.md): uploads kept by their hash in the configured store, their
 * bytes, and the packet. Exports the upload door ({@link EvidenceService.upload}, for a buyer's
 * link) and the bytes ({@link EvidenceContent.stream}, for a supplier's portal).
 */
@Module({
  imports: [CasesModule, TimelineModule, MoneyModule],
  controllers: [EvidenceController],
  providers: [
    EvidenceService,
    EvidenceContent,
    EvidenceRepository,
    EvidencePacket,
    {
      provide: EVIDENCE_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createEvidenceStore(config),
    },
  ],
  exports: [EvidenceService, EvidenceContent],
})
export class EvidenceModule {}
