import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../common/auth/principal';
import { ApiError } from '../common/errors/api-error';
import { decodeCursor, encodeCursor } from '../common/validation/cursor';
import { ImportOrdersQuery, ListOrdersQuery, UpsertOrderDto } from './order.dto';
import { OrderService } from './order.service';
import { orderView } from './order.view';
import { ApiAnswer } from '../common/openapi/api-answers';

const ORDER_CURSOR = ['instant', 'uuid'] as const;

function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new ApiError('unauthorized', 'An API key is required');
  return req.principal;
}

/** The merchant a write is for: a merchant key's own, or the `merchantId` an ops key names. */
export function writingMerchant(principal: Principal, merchantId: string | undefined): string {
  if (principal.kind === 'merchant') {
    if (merchantId && merchantId !== principal.merchantId)
      throw ApiError.validation([
        { field: 'merchantId', problem: 'must be your own merchant or absent' },
      ]);
    return principal.merchantId;
  }
  if (!merchantId)
    throw ApiError.validation([{ field: 'merchantId', problem: 'is required for ops keys' }]);
  return merchantId;
}

/** Orders (intake.md): thin edge over OrderService; tenant-scoped like cases (404). */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrderService) {}

  @Post()
  @ApiOperation({
    summary: 'Create or update the order with this ref',
    description: '201 when created, 200 when updated; the answer is the order.',
  })
  @ApiAnswer(201, 'Order', { headers: ['Location'], description: 'Created' })
  @ApiAnswer(200, 'Order', { description: 'Updated' })
  async upsert(
    @Req() req: FastifyRequest,
    @Body() dto: UpsertOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const merchantId = writingMerchant(principalOf(req), dto.merchantId);
    const { merchantId: _m, shipments, supplierId, ...order } = dto;
    const written = await this.orders.upsert(
      merchantId,
      {
        ...order,
        supplierId: supplierId ?? null,
        shipments: (shipments ?? []).map((s) => ({
          trackingNumber: s.trackingNumber,
          carrier: s.carrier ?? null,
          shippedAt: s.shippedAt,
        })),
      },
      'api',
    );
    void reply.status(written.created ? 201 : 200);
    const { row, tracking } = await this.orders.get(written.id, merchantId);
    return orderView(row, tracking);
  }

  @Post('import')
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'A header row, then one order line per row: ref, placedAt, promisedShipBy, shippedAt, ' +
      'trackingNumber, originCountry, destinationCountry, sku, quantity, unitPrice, currency, ' +
      'supplierId. Rows of one ref form one order. At most 16 MiB.',
    schema: { type: 'string' },
  })
  @ApiAnswer(200, 'OrderImport', {
    description:
      '`failed[].row` is the line number in the file (the header is line 1); a bad row is left ' +
      'out and never stops the others.',
  })
  @ApiOperation({
    description:
      'A header row, then one order line per row; rows of one `ref` form one order, created or updated as by POST /v1/orders. Bad rows are reported in `failed` and never stop the others.',
    summary: 'Import orders from a CSV of order lines',
  })
  async import(
    @Req() req: FastifyRequest,
    @Query() query: ImportOrdersQuery,
    @Body() body: unknown,
  ) {
    const merchantId = writingMerchant(principalOf(req), query.merchantId);
    if (typeof body !== 'string')
      throw new ApiError('unsupported_media_type', 'The import takes a text/csv body');
    return this.orders.importCsv(merchantId, body);
  }

  @Get()
  @ApiOperation({
    description:
      'A merchant key lists its own orders; ops may filter by `merchantId`. `limit` 1 to 200 (default 50), `cursor` for the next page.',
    summary: 'Orders, newest first; `ref` finds one by its reference',
  })
  @ApiAnswer(200, 'OrderPage')
  async list(@Req() req: FastifyRequest, @Query() query: ListOrdersQuery) {
    const principal = principalOf(req);
    const merchantId =
      principal.kind === 'merchant' ? principal.merchantId : (query.merchantId ?? null);
    if (query.ref !== undefined) {
      const rows = await this.orders.findByRef(query.ref, merchantId);
      return { items: rows.map((row) => orderView(row)), nextCursor: null };
    }
    const limit = query.limit ?? 50;
    const after = query.cursor ? decodeCursor(ORDER_CURSOR, query.cursor) : null;
    const rows = await this.orders.list(
      merchantId,
      limit,
      after ? { createdAt: after[0], id: after[1] } : null,
    );
    const last = rows.length === limit ? rows[rows.length - 1] : null;
    return {
      items: rows.map((row) => orderView(row)),
      nextCursor: last ? encodeCursor(ORDER_CURSOR, [last.created_at, last.id]) : null,
    };
  }

  @Get(':id')
  @ApiOperation({
    description: 'A merchant key reads its own orders only (another id: 404).',
    summary: 'One order with its parcels and tracking updates',
  })
  @ApiAnswer(200, 'Order')
  async get(@Req() req: FastifyRequest, @Param('id') id: string) {
    const principal = principalOf(req);
    const merchantId = principal.kind === 'merchant' ? principal.merchantId : null;
    const { row, tracking } = await this.orders.get(id, merchantId);
    return orderView(row, tracking);
  }
}
