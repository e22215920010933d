import {
  createParamDecorator,
  CustomDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';
import { Principal, Role } from './principal';

export const IS_PUBLIC = 'redress:public';
export const ROLES = 'redress:roles';

/** A `/v1` route that needs no API key (the supplier webhook route authenticates by signature). */
export const Public = (): CustomDecorator<string> => SetMetadata(IS_PUBLIC, true);

/** The roles allowed on a route or controller; any other authenticated key gets 403 `forbidden`. */
export const Roles = (...roles: Role[]): CustomDecorator<string> => SetMetadata(ROLES, roles);

/** The caller set by {@link ApiKeyGuard}; a route without one is a programming error (500). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => {
    const principal = ctx.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!principal) throw new Error('CurrentPrincipal used on a route without an API key');
    return principal;
  },
);

/** Whether a request URL is under the authenticated API (`/v1`, `/v1/...`, `/v1?...`). */
export function isV1Url(url: string): boolean {
  return url === '/v1' || url.startsWith('/v1/') || url.startsWith('/v1?');
}

/** 404 rather than 403 for another merchant's resource: existence is not leaked (api.md). */
export function assertMerchantScope(principal: Principal, merchantId: string, what: string): void {
  if (principal.kind === 'merchant' && principal.merchantId !== merchantId) {
    throw ApiError.notFound(what);
  }
}
