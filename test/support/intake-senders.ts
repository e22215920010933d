import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { signBase64Hmac } from '../../src/integrations/signature';

/** A sender's payload as its docs show it (test/fixtures/<sender>/), to change per test. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Payload = Record<string, any>;

export const fixture = (path: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', path), 'utf8')) as Payload;

let seq = 0;

/** An AfterShip update for `trackingNumber` with this tag, seen by the carrier at `at`. */
export function trackingUpdate(
  trackingNumber: string,
  tag: string,
  at: string,
  extra: Record<string, unknown> = {},
): Payload {
  const body = fixture('aftership/tracking-update.json');
  body.event_id = `ev-${++seq}-${Math.random().toString(36).slice(2)}`;
  body.msg.tracking_number = trackingNumber;
  body.msg.tag = tag;
  body.msg.subtag = `${tag}_001`;
  body.msg.subtag_message = tag;
  body.msg.checkpoints = [
    {
      ...body.msg.checkpoints[0],
      tag,
      checkpoint_time: at,
      message: typeof extra.message === 'string' ? extra.message : tag,
    },
  ];
  Object.assign(body.msg, extra);
  return body;
}

/** Posts an AfterShip tracking webhook as AfterShip does: the raw bytes signed with the secret. */
export function postAfterShip(
  server: Server,
  merchantId: string,
  body: unknown,
  secret: string | null,
) {
  const raw = JSON.stringify(body);
  const req = request(server)
    .post(`/v1/integrations/aftership/${merchantId}`)
    .set('content-type', 'application/json');
  if (secret !== null) void req.set('aftership-hmac-sha256', signBase64Hmac(raw, secret));
  return req.send(raw);
}

/** Posts a Shopify webhook as Shopify does: the raw bytes signed with the app secret. */
export function postShopify(
  server: Server,
  merchantId: string,
  topic: string,
  body: unknown,
  opts: { id?: string; secret: string; shopDomain: string },
) {
  const raw = JSON.stringify(body);
  return request(server)
    .post(`/v1/integrations/shopify/${merchantId}`)
    .set('content-type', 'application/json')
    .set('x-shopify-topic', topic)
    .set('x-shopify-shop-domain', opts.shopDomain)
    .set('x-shopify-webhook-id', opts.id ?? `wh-${++seq}-${Math.random().toString(36).slice(2)}`)
    .set('x-shopify-hmac-sha256', signBase64Hmac(raw, opts.secret))
    .send(raw);
}
