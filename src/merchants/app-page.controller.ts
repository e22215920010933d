import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators';
import { ApiError } from '../common/errors/api-error';
import { pageHtml } from '../common/web/web-pages';

/**
 * The merchant console (web/app): `GET /app` and its screens (`/app/new`, `/app/money`) answer
 * the console's index.html, whose script reads the path, so a reload keeps the screen; its case
 * pages (`/app/cases/<id>`) are answered like every page's (src/common/web/case-links.controller.ts). Public, like any login page: it holds no data. Nest routes (its script and
 * style come from @fastify/static, src/common/web) so that the per-address rate limit covers them.
 */
@ApiExcludeController()
@Public()
@Controller('app')
export class AppPageController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  home(): Buffer {
    return this.page();
  }

  @Get(['new', 'money'])
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  screen(): Buffer {
    return this.page();
  }

  private page(): Buffer {
    const html = pageHtml('app');
    if (!html) throw ApiError.notFound('Page');
    return html;
  }
}
