import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { TimelineModule } from '../timeline/timeline.module';
import { CaseLinksModule } from './case-links.module';
import { PortalController } from './portal.controller';
import { PortalService } from './portal.service';
import { SupplierLinksController } from './supplier-links.controller';
import { SupplierLinks } from './supplier-links.service';
import { LinkPagesController } from './link-pages.controller';
import { BuyerController } from './buyer.controller';
import { BuyerLinksController } from './buyer-links.controller';
import { BuyerLinks } from './buyer-links.service';

/**
 * Working with suppliers and buyers without an integration (collaboration.md "Parties and access",
 * evidence.md "The buyer's link"): case links, the supplier's and the buyer's pages and their
 * APIs. The tokens themselves are CaseLinksModule's (which notifications may import for
 * `CaseLinks.liveSupplierLink`).
 */
@Module({
  imports: [CasesModule, CaseLinksModule, TimelineModule, EvidenceModule],
  controllers: [
    SupplierLinksController,
    PortalController,
    BuyerLinksController,
    BuyerController,
    LinkPagesController,
  ],
  providers: [SupplierLinks, PortalService, BuyerLinks],
})
export class CollaborationModule {}
