import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { CaseLinksRepository } from './case-links.repository';
import { CaseLinks } from './case-links.service';
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
 * APIs. Exports {@link SupplierLinks} (its
 * `liveSupplierLink`) for the notifications, and {@link CaseLinks} for the buyer's link.
 */
@Module({
  imports: [CasesModule],
  controllers: [
    SupplierLinksController,
    PortalController,
    BuyerLinksController,
    BuyerController,
    LinkPagesController,
  ],
  providers: [CaseLinksRepository, CaseLinks, SupplierLinks, PortalService, BuyerLinks],
  exports: [SupplierLinks, CaseLinks],
})
export class CollaborationModule {}
