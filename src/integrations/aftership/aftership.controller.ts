import { Body, Controller, Param, Post, RawBodyRequest, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { RateLimitPerPathId } from '../../common/auth/rate-limit.guard';
import { AfterShipService } from './aftership.service';
import { ApiAnswer } from '../../common/openapi/api-answers';
import { anyObject } from '../../common/openapi/schema-kit';

/** AfterShip's tracking webhooks: no API key, AfterShip's signature authenticates the merchant. */
@ApiTags('integrations')
@Controller('v1/integrations/aftership')
export class AfterShipController {
  constructor(private readonly aftership: AfterShipService) {}

  @Public()
  @RateLimitPerPathId('merchantId')
  @Post(':merchantId')
  @ApiHeader({
    name: 'aftership-hmac-sha256',
    required: true,
    description: 'base64 HMAC-SHA256 of the raw body, keyed with the AfterShip webhook secret',
  })
  @ApiOperation({
    summary: 'An AfterShip tracking update for this merchant',
    description:
      '`{ts, event, event_id, msg: {tracking_number, slug, tag, subtag, checkpoints, ...}}`. ' +
      '`event_id` seen before: `{duplicate: true}`. The update is recorded on the order with this ' +
      'tracking number (GET /v1/orders/:id `tracking`) unless it is older than what the parcel ' +
      "already told, and drives the order's open cases (`Delivered` -> DELIVERED, a customs " +
      '`Exception` -> CUSTOMS_HELD).',
  })
  @ApiBody({
    schema: anyObject,
    description: 'The AfterShip tracking webhook, as AfterShip sends it',
  })
  @ApiAnswer(200, anyObject, {
    description:
      '`{trackingNumber, orderId, recorded, events}` (`opened`: the case it opened), or ' +
      '`{duplicate: true}` for a delivery already received',
  })
  @ApiAnswer(202, anyObject, {
    description: 'Unknown tracking number: kept 30 days, applied when an order names it',
  })
  @ApiUnauthorizedResponse({ description: 'Bad or missing signature: nothing recorded' })
  @ApiTooManyRequestsResponse({ description: 'rate_limited, per merchant id' })
  async receive(
    @Param('merchantId') merchantId: string,
    @Req() req: RawBodyRequest<FastifyRequest>,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.aftership.receive({
      merchantId,
      headers: req.headers,
      rawBody: req.rawBody,
      body,
    });
    void reply.status(result.status);
    return result.body;
  }
}
