/**
 * Who is calling: set on the request by the API key guard. A supplier key is bound to one
 * supplier and sees only that supplier's cases (collaboration.md, "Parties and access").
 */
export type Principal =
  | { kind: 'ops'; apiKeyId: string }
  | { kind: 'merchant'; apiKeyId: string; merchantId: string }
  | { kind: 'supplier'; apiKeyId: string; supplierId: string };

export type Role = Principal['kind'];

/**
 * The roles a route without `@Roles` admits: supplier keys reach only the routes that name them,
 * so a route added later is closed to suppliers until it says otherwise.
 */
export const DEFAULT_ROLES: readonly Role[] = ['ops', 'merchant'];

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
