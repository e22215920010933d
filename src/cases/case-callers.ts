import type { FastifyRequest } from 'fastify';
import { Principal } from '../common/auth/principal';
import { ApiError } from '../common/errors/api-error';
import type { Actor, CaseScope } from './case.types';

/** The caller's API key; 401 without one. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new ApiError('unauthorized', 'An API key is required');
  return req.principal;
}

/**
 * The cases a caller may see, for every route that takes a case id: a merchant key its
 * merchant's, a supplier key its supplier's (any other case is a 404, as if it did not exist),
 * ops all.
 */
export function scopeOf(principal: Principal): CaseScope {
  if (principal.kind === 'merchant') return { merchantId: principal.merchantId };
  if (principal.kind === 'supplier') return { supplierId: principal.supplierId };
  return {};
}

/** The caller as a timeline entry's actor: its merchant, its supplier, or the ops key itself. */
export function actorOf(principal: Principal): Actor {
  if (principal.kind === 'merchant') return { kind: 'merchant', id: principal.merchantId };
  if (principal.kind === 'supplier') return { kind: 'supplier', id: principal.supplierId };
  return { kind: 'ops', id: principal.apiKeyId };
}
