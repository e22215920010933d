import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal';
import { scopeOf } from '../cases/case-callers';
import { CaseService } from '../cases/case.service';
import { CaseLinks, type CreatedLink } from './case-links.service';

/**
 * Supplier links of cases (collaboration.md): made and revoked by the case's merchant or ops (the
 * live one, for notifications: CaseLinks.liveSupplierLink).
 */
@Injectable()
export class SupplierLinks {
  constructor(
    private readonly links: CaseLinks,
    private readonly cases: CaseService,
  ) {}

  /** A new link to the case (404 outside the caller's cases); older links stay valid. */
  async create(caseId: string, principal: Principal): Promise<CreatedLink> {
    const row = await this.cases.get(caseId, scopeOf(principal));
    return this.links.create(row.id, 'supplier', row.closed_at);
  }

  /** Revokes every supplier link of the case (404 outside the caller's cases). */
  async revokeAll(caseId: string, principal: Principal): Promise<void> {
    const row = await this.cases.get(caseId, scopeOf(principal));
    await this.links.revokeAll(row.id, 'supplier');
  }
}
