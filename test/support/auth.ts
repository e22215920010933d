import type { Server } from 'node:http';
import request from 'supertest';

/** `Authorization` header for a key. */
export const bearer = (key: string): Record<string, string> => ({
  authorization: `Bearer ${key}`,
});

/** Creates a merchant with an ops key and a key for it; returns both ids and the key. */
export async function createMerchantWithKey(
  server: Server,
  opsKey: string,
  body: Record<string, unknown> = { name: 'Shop', country: 'FR' },
): Promise<{ merchantId: string; key: string }> {
  const merchant = await request(server)
    .post('/v1/merchants')
    .set(bearer(opsKey))
    .send(body)
    .expect(201);
  const key = await request(server)
    .post(`/v1/merchants/${merchant.body.id}/api-keys`)
    .set(bearer(opsKey))
    .expect(201);
  return { merchantId: merchant.body.id as string, key: key.body.key as string };
}
