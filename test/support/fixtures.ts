import type { Server } from 'node:http';
import request from 'supertest';

export const OPS_KEY = 'rk_test_bootstrap_ops_key_0123456789abcdef';

const DAY = 86_400_000;
export const dateIn = (days: number, from = new Date()) =>
  new Date(from.getTime() + days * DAY).toISOString().slice(0, 10);

/** An order snapshot; `shipped` gives it a ship date and tracking number. */
export function order(
  opts: {
    shipped?: boolean;
    origin?: string;
    destination?: string;
    promisedShipBy?: string | null;
  } = {},
) {
  return {
    ref: `ORD-${Math.random().toString(36).slice(2, 10)}`,
    placedAt: new Date(Date.now() - 3 * DAY).toISOString(),
    promisedShipBy: opts.promisedShipBy === undefined ? dateIn(10) : opts.promisedShipBy,
    shippedAt: opts.shipped ? new Date(Date.now() - DAY).toISOString() : null,
    trackingNumber: opts.shipped ? 'TRK-123' : null,
    originCountry: opts.origin ?? 'CN',
    destinationCountry: opts.destination ?? 'FR',
    items: [{ sku: 'SKU-1', quantity: 2, unitPrice: '19.99' }],
    total: { amount: '39.98', currency: 'EUR' },
  };
}

/**
 * A small client over the real HTTP app, as a merchant's or an ops user's program would be: an
 * in-process server, or the base URL of an app process.
 */
export class Api {
  constructor(readonly server: Server | string) {}

  post(path: string, key: string | null, body: unknown, headers: Record<string, string> = {}) {
    const req = request(this.server).post(path).set(headers);
    if (key) void req.set('authorization', `Bearer ${key}`);
    return req.send(body as object);
  }

  put(path: string, key: string | null, body: unknown) {
    const req = request(this.server).put(path);
    if (key) void req.set('authorization', `Bearer ${key}`);
    return req.send(body as object);
  }

  get(path: string, key: string | null) {
    const req = request(this.server).get(path);
    if (key) void req.set('authorization', `Bearer ${key}`);
    return req;
  }

  async merchant(name = 'Shop', extra: Record<string, unknown> = {}) {
    const res = await this.post('/v1/merchants', OPS_KEY, { name, country: 'FR', ...extra });
    if (res.status !== 201) throw new Error(`merchant: ${res.status} ${JSON.stringify(res.body)}`);
    const key = await this.post(`/v1/merchants/${res.body.id}/api-keys`, OPS_KEY, {});
    if (key.status !== 201) throw new Error(`api key: ${key.status} ${JSON.stringify(key.body)}`);
    return {
      id: res.body.id as string,
      key: key.body.key as string,
      secret: res.body.webhookSecret as string,
    };
  }

  async supplier(name = 'Factory', extra: Record<string, unknown> = {}) {
    const res = await this.post('/v1/suppliers', OPS_KEY, { name, country: 'CN', ...extra });
    if (res.status !== 201) throw new Error(`supplier: ${res.status} ${JSON.stringify(res.body)}`);
    return { id: res.body.id as string, secret: res.body.webhookSecret as string };
  }

  async open(key: string, supplierId: string, type: string, orderSnapshot = order(), extra = {}) {
    const res = await this.post('/v1/cases', key, {
      type,
      supplierId,
      order: orderSnapshot,
      ...extra,
    });
    if (res.status !== 201)
      throw new Error(`open ${type}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  event(
    key: string,
    caseId: string,
    type: string,
    payload?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ) {
    const body = payload ? { type, payload } : { type };
    return this.post(`/v1/cases/${caseId}/events`, key, body, headers);
  }

  evidence(key: string, caseId: string, kind = 'photo') {
    return this.post(`/v1/cases/${caseId}/evidence`, key, {
      kind,
      url: `https://cdn.example.com/${kind}-${Math.random().toString(36).slice(2)}.jpg`,
    });
  }

  timeline(key: string, caseId: string) {
    return this.get(`/v1/cases/${caseId}/timeline`, key);
  }
}
