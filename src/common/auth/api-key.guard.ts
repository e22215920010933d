import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';
import { ApiKeyService } from './api-key.service';
import { IS_PUBLIC, isV1Url, ROLES } from './auth.decorators';
import { DEFAULT_ROLES, Role } from './principal';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** The 403's message: "This route needs an ops or merchant key" */
export function roleRefusal(allowed: readonly Role[]): string {
  const article = /^[aeiou]/.test(allowed[0] ?? '') ? 'an' : 'a';
  return `This route needs ${article} ${allowed.join(' or ')} key`;
}

/**
 * Global guard: every `/v1` route (and any route with `@Roles`) needs `Authorization: Bearer <key>`
 * unless it is `@Public()`. Sets `request.principal`; 401 for a missing, unknown or revoked key,
 * 403 for a role the route does not allow (a route without `@Roles` allows ops and merchant keys:
 * {@link DEFAULT_ROLES}), 429 once the client address has failed 20 times within
 * a second.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!roles && !isV1Url(request.url)) return true;

    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    const principal = await this.keys.authenticate(match ? match[1] : null, request.ip);
    if (!principal) {
      throw unauthorized(
        match ? 'Unknown or revoked API key' : 'Missing API key: send Authorization: Bearer <key>',
      );
    }
    request.principal = principal;

    const allowed = roles ?? DEFAULT_ROLES;
    if (!allowed.includes(principal.kind)) {
      throw new ApiError('forbidden', roleRefusal(allowed));
    }
    return true;
  }
}

function unauthorized(message: string): ApiError {
  return new ApiError('unauthorized', message, {}, { 'www-authenticate': 'Bearer' });
}
