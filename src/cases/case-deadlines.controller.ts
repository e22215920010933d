import { Controller, Get, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Roles } from '../common/auth/auth.decorators';
import { ApiAnswer } from '../common/openapi/api-answers';
import { CaseLists } from './case-lists';
import { principalOf, scopeOf } from './case-callers';

const iso = (value: Date | null) => (value === null ? null : new Date(value).toISOString());

/**
 * Every deadline a case has had: the live ones (the case view's `deadlines`), and those that
 * fired or were cancelled when the case moved on, so a closed case still shows its history.
 */
@ApiTags('cases')
@ApiBearerAuth()
@Roles('ops', 'merchant', 'supplier')
@Controller('v1/cases/:id/deadlines')
export class CaseDeadlinesController {
  constructor(private readonly lists: CaseLists) {}

  @Get()
  @ApiOperation({
    summary: 'Every deadline of the case, past and cancelled ones included, by due time',
    description:
      '`{caseId, items: [{kind, dueAt, setAt, firedAt, cancelledAt, breached, status}]}`; ' +
      '`status` is `pending` (still running), `fired` or `cancelled`.',
  })
  @ApiAnswer(200, 'CaseDeadlines')
  async list(@Req() req: FastifyRequest, @Param('id') id: string) {
    const rows = await this.lists.deadlines(id, scopeOf(principalOf(req)));
    return {
      caseId: id,
      items: rows.map((t) => ({
        kind: t.kind,
        dueAt: iso(t.due_at),
        setAt: iso(t.created_at),
        firedAt: iso(t.fired_at),
        cancelledAt: iso(t.cancelled_at),
        breached: t.breached,
        status: t.cancelled_at ? 'cancelled' : t.fired_at ? 'fired' : 'pending',
      })),
    };
  }
}
