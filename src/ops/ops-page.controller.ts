import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators';
import { ApiError } from '../common/errors/api-error';
import { pageHtml } from '../common/web/web-pages';

/**
 * `GET /ops`: the ops staff's page (api.md, "Operations"), built from web/ops. Public, like any
 * login page: it holds no data. A Nest route (its script, style and `/ops/` come from
 * @fastify/static, src/common/web) so that the per-address rate limit still covers it.
 */
@ApiExcludeController()
@Public()
@Controller('ops')
export class OpsPageController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  page(): Buffer {
    const html = pageHtml('ops');
    if (!html) throw ApiError.notFound('Page');
    return html;
  }
}
