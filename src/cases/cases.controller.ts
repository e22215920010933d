import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Roles } from '../common/auth/auth.decorators';
import { ApiError } from '../common/errors/api-error';
import { decodeCursor, encodeCursor } from '../common/validation/cursor';
import { isBareDate } from '../common/validation/validators';
import { NotificationsService } from '../notifications/notifications.service';
import { OrderService } from '../orders/order.service';
import { TimelineQuery } from '../timeline/timeline.dto';
import { TimelineService } from '../timeline/timeline.service';
import { CaseEventDto, FeedbackDto, ListCasesQuery, OpenCaseDto } from './case.dto';
import { CaseService } from './case.service';
import { CaseLists } from './case-lists';
import { actorOf, principalOf, scopeOf } from './case-callers';
import type { CaseCursor, CaseSort } from './case.repository';
import { caseView } from './case.view';
import { ApiAnswer, ApiRefusals } from '../common/openapi/api-answers';
import { ref } from '../common/openapi/schema-kit';

/** The routes a supplier key may use besides ops and merchant keys (collaboration.md). */
const ANY_KEY = ['ops', 'merchant', 'supplier'] as const;

/** A page of cases ends at the last case's `(createdAt, id)`, the order of the list. */
const CASE_CURSOR = ['instant', 'uuid'] as const;
/** Sorted by `dueAt`: at the last case's `(nextDeadline.dueAt or none, id)`. */
const DUE_CURSOR = ['instant?', 'uuid'] as const;

function readCursor(raw: string, sort: CaseSort): CaseCursor {
  if (sort === 'dueAt') {
    const [dueAt, id] = decodeCursor(DUE_CURSOR, raw);
    return { dueAt, id };
  }
  const [createdAt, id] = decodeCursor(CASE_CURSOR, raw);
  return { createdAt, id };
}

function writeCursor(cursor: CaseCursor): string {
  return 'dueAt' in cursor
    ? encodeCursor(DUE_CURSOR, [cursor.dueAt, cursor.id])
    : encodeCursor(CASE_CURSOR, [cursor.createdAt, cursor.id]);
}

/** A date is a whole UTC day: `from` starts it, `to` ends it (exclusive bound the next day). */
function openedBound(raw: string, field: string, daysAfter: number): Date {
  const isDate = raw.length === 10;
  const at = new Date(isDate ? `${raw}T00:00:00Z` : raw);
  // Date rolls 2026-02-30 over to March 2; a day that does not exist is refused instead.
  if (Number.isNaN(at.getTime()) || !isBareDate(raw.slice(0, 10)))
    throw ApiError.validation([{ field, problem: 'is not a valid time' }]);
  if (!isDate) return daysAfter ? new Date(at.getTime() + 1) : at;
  return new Date(at.getTime() + daysAfter * 86_400_000);
}

function parseIfMatch(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(raw);
  if (!match)
    throw ApiError.validation([{ field: 'If-Match', problem: 'must be a case version, e.g. 3' }]);
  return Number(match[1]);
}

/** Cases: thin edge over CaseService (validation here, rules in the service and the machines). */
@ApiTags('cases')
@ApiBearerAuth()
@Controller('v1/cases')
export class CasesController {
  constructor(
    private readonly cases: CaseService,
    private readonly lists: CaseLists,
    private readonly timeline: TimelineService,
    private readonly notifications: NotificationsService,
    private readonly orders: OrderService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Open a case about one order',
    description:
      "`order`, or `orderRef` naming one of the merchant's orders. One open case per order and " +
      "type: a second opening answers 409 `case_exists` with the open one's `caseId`.",
  })
  @ApiAnswer(201, 'Case', { headers: ['Location'] })
  @ApiRefusals({
    409: 'case_exists: an open case of this type for this order (its `caseId`)',
    422: 'unknown_order: no order with this `orderRef`; unprocessable: a claim above the order total',
  })
  async open(@Req() req: FastifyRequest, @Body() dto: OpenCaseDto) {
    const principal = principalOf(req);
    let merchantId: string;
    if (principal.kind === 'merchant') {
      if (dto.merchantId && dto.merchantId !== principal.merchantId) {
        throw ApiError.validation([
          { field: 'merchantId', problem: 'must be your own merchant or absent' },
        ]);
      }
      merchantId = principal.merchantId;
    } else {
      if (!dto.merchantId)
        throw ApiError.validation([{ field: 'merchantId', problem: 'is required for ops keys' }]);
      merchantId = dto.merchantId;
    }
    const { order, supplierId } = await this.orderOf(dto, merchantId);
    const row = await this.cases.open({
      type: dto.type,
      merchantId,
      supplierId,
      order,
      description: dto.description,
      buyerLanguage: dto.buyerLanguage,
      preferredResolution: dto.preferredResolution,
      external: dto.external,
      platformWindow: dto.platformWindow,
      linkedCaseId: dto.linkedCaseId,
      source: dto.source,
      claim: dto.claim,
      actor: actorOf(principal),
    });
    return caseView(row, principal.kind);
  }

  /**
   * The order the case is about: the one given, or a copy of the merchant's order `orderRef`
   * (422 `unknown_order`), whose supplier is the case's unless `supplierId` says otherwise.
   */
  private async orderOf(dto: OpenCaseDto, merchantId: string) {
    if (dto.order && dto.orderRef !== undefined)
      throw ApiError.validation([{ field: 'orderRef', problem: 'must not be sent with order' }]);
    if (dto.order) return { order: dto.order, supplierId: dto.supplierId! };
    const found = await this.orders.snapshotFor(merchantId, dto.orderRef!);
    const supplierId = dto.supplierId ?? found.supplierId;
    if (!supplierId) {
      throw ApiError.validation([
        { field: 'supplierId', problem: 'is required: the order names no supplier' },
      ]);
    }
    return { order: found.order, supplierId };
  }

  @Get()
  @Roles(...ANY_KEY)
  @ApiOperation({
    summary: 'List cases, newest first or by next deadline (cursor pagination)',
    description:
      'A supplier key lists its own supplier’s cases only. The work queue: `dueBefore` keeps ' +
      'open cases whose `nextDeadline` is before that time, `sort=dueAt` orders by ' +
      '`nextDeadline.dueAt` (cases without one last), `waitingOn` keeps the cases waiting on ' +
      'that party, `orderRef` the cases of one order. The cursor follows the order asked for; ' +
      '`includeTotal=true` adds `total`, the count of every matching case.',
  })
  @ApiAnswer(200, 'CasePage')
  async list(@Req() req: FastifyRequest, @Query() query: ListCasesQuery) {
    const principal = principalOf(req);
    const merchantId = principal.kind === 'merchant' ? principal.merchantId : query.merchantId;
    const own = principal.kind === 'supplier' ? principal.supplierId : undefined;
    // Another supplier's id from a supplier key matches none of its cases: an empty page.
    if (own && query.supplierId && query.supplierId !== own) {
      return {
        items: [],
        nextCursor: null,
        ...(query.includeTotal === 'true' ? { total: 0 } : {}),
      };
    }
    const limit = query.limit ?? 50;
    const sort = query.sort ?? 'createdAt';
    const filter = {
      merchantId,
      supplierId: own ?? query.supplierId,
      status: query.status,
      type: query.type,
      breached: query.breached === undefined ? undefined : query.breached === 'true',
      openedFrom: query.openedFrom ? openedBound(query.openedFrom, 'openedFrom', 0) : undefined,
      openedBefore: query.openedTo ? openedBound(query.openedTo, 'openedTo', 1) : undefined,
      dueBefore: query.dueBefore ? openedBound(query.dueBefore, 'dueBefore', 0) : undefined,
      waitingOn: query.waitingOn,
      orderRef: query.orderRef,
    };
    const cursor = query.cursor ? readCursor(query.cursor, sort) : null;
    const [page, total] = await Promise.all([
      this.lists.list(filter, limit, cursor, sort),
      query.includeTotal === 'true' ? this.lists.count(filter) : undefined,
    ]);
    return {
      items: page.items.map((row) => caseView(row, principal.kind)),
      nextCursor: page.next ? writeCursor(page.next) : null,
      ...(total === undefined ? {} : { total }),
    };
  }

  @Get(':id')
  @Roles(...ANY_KEY)
  @ApiOperation({
    summary: 'One case',
    description:
      'Its `ETag` is the case `version`, for `If-Match` on the next event. `supplierName` is the ' +
      "name of the case's supplier (a merchant key cannot read `/v1/suppliers`, which is ops-only). " +
      'For a merchant key, `relayableEvents` lists the supplier outcomes the state accepts now, ' +
      'which the merchant may record with `onBehalfOfSupplier: true` and a `proofEvidenceId`.',
  })
  @ApiAnswer(200, 'Case', { headers: ['ETag'] })
  async get(
    @Req() req: FastifyRequest,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const principal = principalOf(req);
    const row = await this.cases.get(id, scopeOf(principal));
    void reply.header('etag', `"${row.version}"`);
    return caseView(row, principal.kind);
  }

  @Post(':id/events')
  @Roles(...ANY_KEY)
  @HttpCode(200)
  @ApiHeader({ name: 'If-Match', required: false, description: 'The case version you last saw' })
  @ApiOperation({
    description:
      "The body is one of the `CaseEvent` schemas: `type` and the payload that type defines, nothing else (400 otherwise). Your role must be allowed to send it (403) and the case's state must accept it (409 invalid_transition; the case's `allowedEvents` lists what you may send now). `If-Match` makes it conditional on the version you read (409 version_conflict). Answers the case as the event leaves it.",
    summary: 'Send a workflow event to the case',
  })
  @ApiBody({ schema: ref('CaseEvent') })
  @ApiAnswer(200, 'Case', { description: 'The case after the event (its new `version`)' })
  @ApiRefusals({
    409:
      'invalid_transition: the state does not accept this event (`allowedEvents`); ' +
      'evidence_required; version_conflict: `If-Match` is not the current version',
    422: 'currency_mismatch or amount_exceeds_outstanding: a refund that does not fit the claim',
  })
  async event(
    @Req() req: FastifyRequest,
    @Param('id') id: string,
    @Body() dto: CaseEventDto,
    @Headers('if-match') ifMatch?: string,
  ) {
    const principal = principalOf(req);
    const result = await this.cases.apply(id, {
      type: dto.type,
      payload: dto.payload ?? {},
      actor: actorOf(principal),
      scope: scopeOf(principal),
      ifMatch: parseIfMatch(ifMatch),
    });
    return caseView(result.row, principal.kind);
  }

  @Post(':id/feedback')
  @ApiOperation({
    description:
      "Ops or the case's merchant. Recorded as a FEEDBACK_RECORDED entry on the timeline; it counts in the merchant's service rating.",
    summary: 'Record the buyer\'s answer to "did this solve your problem?"',
  })
  @ApiAnswer(201, 'Feedback')
  async feedback(@Req() req: FastifyRequest, @Param('id') id: string, @Body() dto: FeedbackDto) {
    const principal = principalOf(req);
    return this.cases.addFeedback(
      id,
      dto.resolved,
      dto.comment ?? null,
      actorOf(principal),
      scopeOf(principal),
    );
  }

  @Get(':id/timeline')
  @Roles(...ANY_KEY)
  @ApiOperation({
    summary: 'The hash-chained timeline, a page at a time, with the integrity of the whole chain',
    description:
      '`{caseId, events, nextAfter, integrity}`: up to `limit` entries after seq `after` ' +
      '(`nextAfter` is null on the last page). `integrity` covers the whole chain: the prefix ' +
      'verified by earlier reads is kept and only the entries added since are checked; ' +
      '`verify=full` (ops) rechecks everything. A supplier key never sees `NOTE` entries: they ' +
      'are left out and the answer says `filtered: true` (integrity is still of the whole chain).',
  })
  @ApiAnswer(200, 'TimelinePage')
  async timelineOf(
    @Req() req: FastifyRequest,
    @Param('id') id: string,
    @Query() query: TimelineQuery,
  ) {
    const principal = principalOf(req);
    if (query.verify === 'full' && principal.kind !== 'ops') {
      throw new ApiError('forbidden', 'verify=full needs an ops key');
    }
    await this.cases.get(id, scopeOf(principal));
    return this.timeline.read(id, {
      limit: query.limit,
      after: query.after,
      full: query.verify === 'full',
      audience: principal.kind === 'supplier' ? 'supplier' : 'internal',
    });
  }

  @Get(':id/notifications')
  @ApiOperation({
    description:
      "Every notification the case caused, to whom, its body (`NotificationBody`, as POSTed to the party's webhookUrl) and each delivery attempt; `state` is pending, delivered, failed or no_endpoint.",
    summary: 'Outbound notifications of the case and their delivery',
  })
  @ApiAnswer(200, 'NotificationList')
  async notificationsOf(@Req() req: FastifyRequest, @Param('id') id: string) {
    await this.cases.get(id, scopeOf(principalOf(req)));
    return { caseId: id, items: await this.notifications.listForCase(id) };
  }
}
