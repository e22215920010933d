import { Injectable } from '@nestjs/common';
import {
  CaseRepository,
  type CaseCursor,
  type CaseListFilter,
  type CaseSort,
  type CaseTimerRow,
} from './case.repository';
import { CaseService } from './case.service';
import type { CaseRow, CaseScope } from './case.types';

/**
 * The reads of many cases or of a case's history, for the work queue and the consoles: the case
 * list (and its count) and every deadline a case has had. CaseService writes a case's state and
 * reads one case in scope ({@link CaseService.get}); these never write.
 */
@Injectable()
export class CaseLists {
  constructor(
    private readonly repository: CaseRepository,
    private readonly cases: CaseService,
  ) {}

  /** Newest first, or by next deadline (`dueAt`); keyset-paginated (see CaseRepository.list). */
  list(
    filter: CaseListFilter,
    limit: number,
    cursor: CaseCursor | null,
    sort: CaseSort = 'createdAt',
  ): Promise<{ items: CaseRow[]; next: CaseCursor | null }> {
    return this.repository.list(filter, limit, cursor, sort);
  }

  /** How many cases match the filters (the list's `total`). */
  count(filter: CaseListFilter): Promise<number> {
    return this.repository.count(filter);
  }

  /** Every deadline of a case, past and cancelled ones included (404 outside the caller's scope). */
  async deadlines(caseId: string, scope: CaseScope): Promise<CaseTimerRow[]> {
    await this.cases.get(caseId, scope);
    return this.repository.timers(caseId);
  }
}
