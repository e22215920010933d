import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { FailedAuthLimiter } from '../common/auth/failed-auth-limiter';
import { ApiError } from '../common/errors/api-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Metrics } from './metrics.service';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * `GET /metrics`: Prometheus text format. With `REDRESS_METRICS_TOKEN` set (required in
 * production) it needs `Authorization: Bearer <token>`, else 401; a wrong token counts as a failed
 * authentication of the client address.
 */
@Controller('metrics')
export class MetricsController {
  private readonly tokenHash: Buffer | null;

  constructor(
    private readonly metrics: Metrics,
    private readonly failures: FailedAuthLimiter,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.tokenHash = config.metricsToken ? sha256(config.metricsToken) : null;
  }

  @Get()
  @Public()
  @ApiExcludeEndpoint()
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (this.tokenHash) this.authorize(request);
    const { contentType, body } = await this.metrics.scrape();
    await reply.status(200).header('content-type', contentType).send(body);
  }

  private authorize(request: FastifyRequest): void {
    const tracker = `ip:${request.ip}`;
    this.failures.assertAllowed(tracker);
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    // Equal-length hashes, compared in constant time: the token's length and content stay unknown.
    if (match && timingSafeEqual(sha256(match[1]), this.tokenHash!)) return;
    this.failures.recordFailure(tracker);
    throw new ApiError(
      'unauthorized',
      'GET /metrics needs Authorization: Bearer <REDRESS_METRICS_TOKEN>',
      {},
      { 'www-authenticate': 'Bearer' },
    );
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
