import { Body, Controller, HttpCode, Param, Post, RawBodyRequest, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { RateLimitPerPathId } from '../../common/auth/rate-limit.guard';
import { ShopifyService } from './shopify.service';
import { ApiAnswer } from '../../common/openapi/api-answers';
import { anyObject } from '../../common/openapi/schema-kit';

/** Shopify's webhooks: no API key, Shopify's own signature authenticates the merchant's shop. */
@ApiTags('integrations')
@Controller('v1/integrations/shopify')
export class ShopifyController {
  constructor(private readonly shopify: ShopifyService) {}

  @Public()
  @RateLimitPerPathId('merchantId')
  @Post(':merchantId')
  @HttpCode(200)
  @ApiHeader({
    name: 'X-Shopify-Hmac-Sha256',
    required: true,
    description: 'base64 HMAC-SHA256 of the raw body',
  })
  @ApiHeader({
    name: 'X-Shopify-Webhook-Id',
    required: true,
    description: 'Seen before: {duplicate: true}',
  })
  @ApiHeader({
    name: 'X-Shopify-Topic',
    required: true,
    description:
      'orders/create, orders/updated, orders/cancelled, fulfillments/create, fulfillments/update (others ignored)',
  })
  @ApiHeader({ name: 'X-Shopify-Shop-Domain', required: false })
  @ApiOperation({
    summary: "A Shopify webhook for this merchant's shop",
    description:
      'Verified with the secret of PUT /v1/merchants/:id/integrations/shopify. `orders/create` and ' +
      '`orders/updated` upsert the order (`name` is the ref), `fulfillments/*` add its parcel, ' +
      '`orders/cancelled` opens a buyer_cancellation case when the settings ask for it.',
  })
  @ApiUnauthorizedResponse({ description: 'Bad or missing signature: nothing recorded' })
  @ApiTooManyRequestsResponse({ description: 'rate_limited, per merchant id' })
  @ApiBody({ schema: anyObject, description: 'The Shopify webhook body, as Shopify sends it' })
  @ApiAnswer(200, anyObject, {
    description: 'What was done: duplicate, ignored, or the case opened or moved',
  })
  receive(
    @Param('merchantId') merchantId: string,
    @Req() req: RawBodyRequest<FastifyRequest>,
    @Body() body: unknown,
  ) {
    return this.shopify.receive({ merchantId, headers: req.headers, rawBody: req.rawBody, body });
  }
}
