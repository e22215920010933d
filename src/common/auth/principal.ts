/** Who is calling: set on the request by the API key guard (or the webhook route for suppliers). */
export type Principal =
  | { kind: 'ops'; apiKeyId: string }
  | { kind: 'merchant'; apiKeyId: string; merchantId: string };

export type Role = Principal['kind'];

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
