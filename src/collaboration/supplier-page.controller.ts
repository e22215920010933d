import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { ApiError } from '../common/errors/api-error';
import { builtPagesRoot } from '../common/web/web-pages';
import { CaseLinks } from './case-links.service';

/**
 * `GET /s/<token>`: the supplier's page (web/supplier), for a live link; an unknown, expired or
 * revoked token gets the 404 page. Its data comes from `/v1/portal/<token>`. A Nest route, so the
 * per-address rate limit covers it.
 */
@ApiExcludeController()
@Public()
@Controller('s')
export class SupplierPageController {
  private readonly files = new Map<string, Buffer>();

  constructor(private readonly links: CaseLinks) {}

  @Get(':token')
  async page(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    let found = true;
    try {
      await this.links.resolve(token, 'supplier');
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'not_found')) throw error;
      found = false;
    }
    await reply
      .status(found ? 200 : 404)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send(this.file(found ? 'index.html' : 'not-found.html'));
  }

  private file(name: string): Buffer {
    let html = this.files.get(name);
    if (!html) {
      html = readFileSync(resolve(builtPagesRoot(), 'supplier', name));
      this.files.set(name, html);
    }
    return html;
  }
}
