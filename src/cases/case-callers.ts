import type { FastifyRequest } from 'fastify';
import { Principal } from '../common/auth/principal';
import { ApiError } from '../common/errors/api-error';
import type { Actor, CaseScope } from './case.types';

/** The caller's API key; 401 without one. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new ApiError('unauthorized', 'An API key is required');
  return req.principal;
}

/** The cases a caller may see: a merchant key its merchant's, ops all. */
export function scopeOf(principal: Principal): CaseScope {
  return principal.kind === 'merchant' ? { merchantId: principal.merchantId } : {};
}

/** The caller as a timeline entry's actor. */
export function actorOf(principal: Principal): Actor {
  return principal.kind === 'merchant'
    ? { kind: 'merchant', id: principal.merchantId }
    : { kind: 'ops', id: principal.apiKeyId };
}
