/**
 * Helpers shared by webhooks.e2e-spec.ts and outbox.e2e-spec.ts: parties and cases through the
 * HTTP API with an ops key, and signed supplier webhooks.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { signPayload } from '../../src/webhooks/signature/webhook-signature';

export const OPS_KEY = 'rk_test_webhooks_and_outbox_ops_key_0123456789';
export const ops = { authorization: `Bearer ${OPS_KEY}` };

const DAY = 24 * 60 * 60 * 1000;
const isoDaysFrom = (now: Date, days: number) => new Date(now.getTime() + days * DAY).toISOString();

export type OrderKind = 'unshipped' | 'shipped_international' | 'shipped_domestic';

/**
 * An order snapshot relative to `now` (the server's clock); a new ref each time unless given (one
 * open case per order and type, intake.md).
 */
export function order(
  kind: OrderKind,
  now: Date,
  ref = `ORD-${Math.random().toString(36).slice(2, 10)}`,
): Record<string, unknown> {
  const shipped = kind !== 'unshipped';
  return {
    ref,
    placedAt: isoDaysFrom(now, -10),
    promisedShipBy: isoDaysFrom(now, 30).slice(0, 10),
    shippedAt: shipped ? isoDaysFrom(now, -8) : null,
    trackingNumber: shipped ? 'TRK-ORIGINAL' : null,
    originCountry: kind === 'shipped_domestic' ? 'FR' : 'CN',
    destinationCountry: 'FR',
    items: [{ sku: 'SKU-1', quantity: 1, unitPrice: '19.90' }],
    total: { amount: '19.90', currency: 'EUR' },
  };
}

export async function createSupplier(
  server: Server,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; webhookSecret: string }> {
  const res = await request(server)
    .post('/v1/suppliers')
    .set(ops)
    .send({ name: 'Supplier', country: 'CN', ...extra })
    .expect(201);
  return { id: res.body.id as string, webhookSecret: res.body.webhookSecret as string };
}

/** Rotates a supplier's secret (ops); answers the new one, the old one checked to differ. */
export async function rotateSecret(
  server: Server,
  supplier: { id: string; webhookSecret: string },
): Promise<string> {
  const res = await request(server)
    .post(`/v1/suppliers/${supplier.id}/rotate-secret`)
    .set(ops)
    .expect(201);
  const secret = res.body.webhookSecret as string;
  expect(secret).not.toBe(supplier.webhookSecret);
  return secret;
}

export async function createMerchant(
  server: Server,
  extra: Record<string, unknown> = {},
): Promise<string> {
  return (await createMerchantWithSecret(server, extra)).id;
}

export async function createMerchantWithSecret(
  server: Server,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; webhookSecret: string }> {
  const res = await request(server)
    .post('/v1/merchants')
    .set(ops)
    .send({ name: 'Shop', country: 'FR', ...extra })
    .expect(201);
  return { id: res.body.id as string, webhookSecret: res.body.webhookSecret as string };
}

export async function openCase(
  server: Server,
  merchantId: string,
  supplierId: string,
  type: string,
  orderBody: Record<string, unknown>,
): Promise<{ id: string; state: string; version: number }> {
  const res = await request(server)
    .post('/v1/cases')
    .set(ops)
    .send({ type, merchantId, supplierId, order: orderBody });
  if (res.status !== 201)
    throw new Error(`open ${type}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; state: string; version: number };
}

export interface SignOptions {
  /** webhook-id; a fresh one when absent. */
  id?: string;
  /** webhook-timestamp in Unix seconds; now when absent. */
  timestamp?: number;
  /** Sign with these secrets instead (several signatures in one header). */
  secrets?: string[];
}

let sequence = 0;
export const newWebhookId = () => `msg_${Date.now().toString(36)}_${(sequence++).toString(36)}`;

/** The Standard Webhooks headers for `body`, signed with `secret`. */
export function signedHeaders(
  secret: string,
  body: string,
  opts: SignOptions = {},
): Record<string, string> {
  const id = opts.id ?? newWebhookId();
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const signatures = (opts.secrets ?? [secret]).map((s) => signPayload(s, id, timestamp, body));
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatures.join(' '),
  };
}

/** POSTs a signed supplier webhook; the body is sent byte for byte as signed. */
export function sendWebhook(
  server: Server,
  supplierId: string,
  secret: string,
  payload: unknown,
  opts: SignOptions & { headers?: Record<string, string | undefined> } = {},
): request.Test {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const headers: Record<string, string | undefined> = {
    ...signedHeaders(secret, body, opts),
    ...opts.headers,
  };
  const req = request(server).post(`/v1/webhooks/suppliers/${supplierId}`);
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) void req.set(name, value);
  }
  return req.send(body);
}

/** Runs `tasks` with at most `limit` in flight; results in task order. */
export async function pool<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** A small seeded PRNG (mulberry32), so a failing shuffle can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
