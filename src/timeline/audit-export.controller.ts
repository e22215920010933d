import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../common/auth/auth.decorators';
import { ApiError, FieldProblem } from '../common/errors/api-error';
import { AuditEventsQuery } from './audit-export.dto';
import { AuditExportService, AuditFilter, decodeAuditCursor } from './audit-export.service';
import { ApiAnswer } from '../common/openapi/api-answers';
import { str } from '../common/openapi/schema-kit';

function instant(field: string, raw: string | undefined, problems: FieldProblem[]) {
  if (raw === undefined) return undefined;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) problems.push({ field, problem: 'is not a valid time' });
  return date;
}

/** `GET /v1/audit/events` (api.md, "Operations"): the audit trail of every case, for ops. */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('ops')
@Controller('v1/audit')
export class AuditExportController {
  constructor(private readonly audit: AuditExportService) {}

  @Get('events')
  @ApiProduces('application/x-ndjson', 'text/csv')
  @ApiOperation({
    summary: 'Every timeline entry of every case by (at, caseId, seq), streamed, resumable (ops)',
    description:
      'NDJSON (default): one TimelineEntry per line, `hash` and `prevHash` included, so that ' +
      '`npm run verify-export -- file.ndjson` can check every chain offline. CSV: a header row, ' +
      'then one entry per row (`actor` and `payload` as JSON in their cells, RFC 4180 quoting). ' +
      '`since` is inclusive, `until` exclusive (on `at`). An export filtered by time, type or ' +
      'actor holds parts of chains: verify it with `--partial`. Every answer carries ' +
      '`Redress-Next-Cursor` (and a `Link` rel="next"): `after=<cursor>` answers what came ' +
      'since, entries that committed late with an earlier `at` first, so an incremental reader ' +
      'misses nothing; `limit` bounds a page.',
  })
  @ApiAnswer(200, null, {
    mediaTypes: { 'application/x-ndjson': str, 'text/csv': str },
    description: 'One timeline entry per line (`TimelineEntry`), or a CSV of them',
  })
  async events(
    @Query() query: AuditEventsQuery,
    @Res() reply: FastifyReply,
  ): Promise<FastifyReply> {
    const problems: FieldProblem[] = [];
    const after = query.after === undefined ? null : decodeAuditCursor(query.after);
    if (query.after !== undefined && !after) {
      problems.push({ field: 'after', problem: 'is not a cursor this API returned' });
    }
    const since = instant('since', query.since, problems);
    const until = instant('until', query.until, problems);
    if (since && until && !problems.length && since.getTime() > until.getTime()) {
      problems.push({ field: 'until', problem: 'must not be before since' });
    }
    if (problems.length) throw ApiError.validation(problems);
    const [actorKind, actorId] = query.actor ? query.actor.split(/:(.*)/s) : [];
    const filter: AuditFilter = {
      since,
      until,
      caseId: query.caseId?.toLowerCase(),
      types: query.type?.split(','),
      actorKind: actorKind || undefined,
      actorId: actorId || undefined,
    };
    const format = query.format ?? 'ndjson';
    const bounds = await this.audit.bounds(filter, after, query.limit);
    const cursor = this.audit.nextCursor(bounds);
    const next = new URLSearchParams(
      Object.entries({ ...query, after: cursor }).map(([k, v]): [string, string] => [k, String(v)]),
    );
    return reply
      .status(200)
      .header(
        'content-type',
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      )
      .header('cache-control', 'no-store')
      .header('redress-next-cursor', cursor)
      .header('link', `</v1/audit/events?${next.toString()}>; rel="next"`)
      .send(this.audit.stream(filter, format, after, bounds));
  }
}
