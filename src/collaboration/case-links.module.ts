import { Module } from '@nestjs/common';
import { CaseLinksRepository } from './case-links.repository';
import { CaseLinks } from './case-links.service';

/**
 * Case links' tokens (create, revoke, resolve, the live link), with no dependency on the case
 * service, so that notifications can import it ({@link CaseLinks.liveSupplierLink}) without a
 * cycle through CasesModule.
 */
@Module({
  providers: [CaseLinksRepository, CaseLinks],
  exports: [CaseLinksRepository, CaseLinks],
})
export class CaseLinksModule {}
