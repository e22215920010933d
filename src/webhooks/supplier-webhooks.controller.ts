import { Body, Controller, HttpCode, Param, Post, RawBodyRequest, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { RateLimitPerPathId } from '../common/auth/rate-limit.guard';
import { SupplierWebhookResult, SupplierWebhooksService } from './supplier-webhooks.service';
import { ApiAnswer, ApiRefusals } from '../common/openapi/api-answers';
import { ref } from '../common/openapi/schema-kit';

/**
 * Supplier webhooks: no API key, the Standard Webhooks signature authenticates the supplier.
 * Rate limited per supplier id, whatever address the calls come from.
 */
@ApiTags('webhooks')
@Controller('v1/webhooks/suppliers')
export class SupplierWebhooksController {
  constructor(private readonly webhooks: SupplierWebhooksService) {}

  @Public()
  @RateLimitPerPathId('supplierId')
  @Post(':supplierId')
  @HttpCode(200)
  @ApiHeader({ name: 'webhook-id', required: true })
  @ApiHeader({ name: 'webhook-timestamp', required: true, description: 'Unix seconds' })
  @ApiHeader({ name: 'webhook-signature', required: true, description: 'v1,<base64 HMAC>' })
  @ApiOperation({
    description:
      "No API key: the body is signed with the supplier's webhook secret (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` over the raw body). `type` names the case event it stands for (`SupplierWebhook`); a `webhook-id` already received answers `{duplicate: true}` and does nothing.",
    summary: 'A supplier event {type, caseId, data}, signed per Standard Webhooks',
  })
  @ApiTooManyRequestsResponse({
    description:
      'rate_limited: more than REDRESS_RATE_LIMIT_PER_SECOND calls a second for this supplier id',
  })
  @ApiBody({ schema: ref('SupplierWebhook') })
  @ApiAnswer(200, 'SupplierWebhookResult')
  @ApiRefusals({
    401: 'unauthorized: a bad, old or missing signature; nothing recorded',
    404: 'not_found: no such supplier or case of its',
    409: 'invalid_transition: the case does not accept this event now',
  })
  receive(
    @Param('supplierId') supplierId: string,
    @Req() req: RawBodyRequest<FastifyRequest>,
    @Body() body: unknown,
  ): Promise<SupplierWebhookResult> {
    return this.webhooks.receive({
      supplierId,
      address: req.ip,
      headers: req.headers,
      rawBody: req.rawBody,
      body,
    });
  }
}
