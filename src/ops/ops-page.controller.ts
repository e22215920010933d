import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../common/auth/auth.decorators';
import { OPS_CSS, OPS_HTML, OPS_JS } from './ops-page.assets';

/**
 * `GET /ops`: the ops staff's page (api.md, "Operations"). Public, like any login page: it holds
 * no data; the browser calls the `/v1` API with the ops key the user types in.
 */
@ApiExcludeController()
@Public()
@Controller('ops')
export class OpsPageController {
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-cache')
  page(): string {
    return OPS_HTML;
  }

  @Get('ops.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  script(): string {
    return OPS_JS;
  }

  @Get('ops.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'no-cache')
  style(): string {
    return OPS_CSS;
  }
}
