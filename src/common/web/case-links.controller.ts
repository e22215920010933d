import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { ApiError } from '../errors/api-error';
import { isUuid } from '../validation/uuid-param.pipe';
import { CASE_LINK_PAGES, pageHtml } from './web-pages';

/**
 * `GET /<page>/cases/<id>`: a page's deep link to one case (`/ops/cases/<id>`, `/app/cases/<id>`)
 * answers that page's `index.html`, so a reload or a shared link opens the case again. Public like
 * the page itself: the page holds no data, the case is read with the user's key. A Nest route, so
 * the rate limit covers it; anything but a listed, built page and a case id is the API's 404.
 */
@ApiExcludeController()
@Public()
@Controller()
export class CaseLinksController {
  @Get(':page/cases/:id')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  page(@Param('page') page: string, @Param('id') id: string): Buffer {
    const html = CASE_LINK_PAGES.includes(page) && isUuid(id) ? pageHtml(page) : null;
    if (!html) throw ApiError.notFound('Page');
    return html;
  }
}
