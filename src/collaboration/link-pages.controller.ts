import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { ApiError } from '../common/errors/api-error';
import { builtPagesRoot } from '../common/web/web-pages';
import { CaseLinks } from './case-links.service';
import type { LinkAudience } from './link-expiry';

/** The built page (web/<folder>) of each audience's link. */
const PAGE_FOLDER: Record<LinkAudience, string> = { supplier: 'supplier', buyer: 'buyer' };

/**
 * The pages behind case links: `GET /s/<token>` (the supplier's, web/supplier) and `GET /b/<token>`
 * (the buyer's, web/buyer), for a live link; an unknown, expired or revoked token gets the
 * folder's 404 page (a client that does not ask for HTML: the API's JSON 404). Their data comes from `/v1/portal/<token>` and `/v1/buyer/<token>`. Nest
 * routes, so the per-address rate limit covers them.
 */
@ApiExcludeController()
@Public()
@Controller()
export class LinkPagesController {
  private readonly files = new Map<string, Buffer>();

  constructor(private readonly links: CaseLinks) {}

  @Get('s/:token')
  supplier(
    @Param('token') token: string,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.page('supplier', token, accept, reply);
  }

  @Get('b/:token')
  buyer(
    @Param('token') token: string,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.page('buyer', token, accept, reply);
  }

  private async page(
    audience: LinkAudience,
    token: string,
    accept: string | undefined,
    reply: FastifyReply,
  ): Promise<void> {
    let found = true;
    try {
      await this.links.resolve(token, audience);
    } catch (error) {
      // A browser gets the 404 page; any other client the API's 404 in the error shape.
      if (!(error instanceof ApiError && error.code === 'not_found' && wantsHtml(accept)))
        throw error;
      found = false;
    }
    await reply
      .status(found ? 200 : 404)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .send(this.file(PAGE_FOLDER[audience], found ? 'index.html' : 'not-found.html'));
  }

  private file(folder: string, name: string): Buffer {
    const path = resolve(builtPagesRoot(), folder, name);
    let html = this.files.get(path);
    if (!html) {
      html = readFileSync(path);
      this.files.set(path, html);
    }
    return html;
  }
}

/** Whether the client asked for HTML (a browser navigating to the link). */
function wantsHtml(accept: string | undefined): boolean {
  return typeof accept === 'string' && accept.includes('text/html');
}
