import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';
import { builtPagesRoot } from '../common/web/web-pages';

/**
 * The merchant console (web/app): `GET /app` and its deep links (`/app/cases/<id>`, `/app/new`,
 * `/app/money`) all answer the console's index.html, whose script reads the path, so a reload
 * keeps the screen. Public, like any login page: it holds no data. Nest routes (its script and
 * style come from @fastify/static, src/common/web) so that the per-address rate limit covers them.
 */
@ApiExcludeController()
@Public()
@Controller('app')
export class AppPageController {
  private html?: Buffer;

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

  /** A case's page; an id that is not a UUID is the API's 404, as for `/v1/cases/<id>`. */
  @Get('cases/:id')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  casePage(@Param('id', new UuidParamPipe('Case')) _id: string): Buffer {
    return this.page();
  }

  private page(): Buffer {
    this.html ??= readFileSync(resolve(builtPagesRoot(), 'app', 'index.html'));
    return this.html;
  }
}
