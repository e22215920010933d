import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { CaseLinksRepository } from './case-links.repository';
import { CaseLinks } from './case-links.service';
import { PortalController } from './portal.controller';
import { PortalService } from './portal.service';
import { SupplierLinksController } from './supplier-links.controller';
import { SupplierLinks } from './supplier-links.service';
import { SupplierPageController } from './supplier-page.controller';

/**
 * Working with suppliers without an integration (collaboration.md, "Parties and access"): case
 * links and the supplier's page and its API. Exports {@link SupplierLinks} (its
 * `liveSupplierLink`) for the notifications, and {@link CaseLinks} for the buyer's link.
 */
@Module({
  imports: [CasesModule],
  controllers: [SupplierLinksController, PortalController, SupplierPageController],
  providers: [CaseLinksRepository, CaseLinks, SupplierLinks, PortalService],
  exports: [SupplierLinks, CaseLinks],
})
export class CollaborationModule {}
