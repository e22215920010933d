import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readOrdersCsv } from '../orders/order-csv';
import { trackingUpdate } from './aftership/aftership-mapping';
import { fulfillmentOrder, shopifyOrder, shopifyShipment } from './shopify/shopify-mapping';
import { signBase64Hmac, verifyBase64Hmac } from './signature';

const fixture = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '../../test/fixtures', path), 'utf8')) as Record<
    string,
    unknown
  >;

describe('senders mapped to orders and tracking (intake.md)', () => {
  it('verifies a base64 HMAC-SHA256 of the raw bytes only', () => {
    const raw = '{"a":1}';
    const signature = signBase64Hmac(raw, 'secret');
    expect(verifyBase64Hmac(raw, signature, 'secret')).toBe(true);
    expect(verifyBase64Hmac('{"a": 1}', signature, 'secret')).toBe(false);
    expect(verifyBase64Hmac(raw, signature, 'other')).toBe(false);
    expect(verifyBase64Hmac(raw, undefined, 'secret')).toBe(false);
    expect(verifyBase64Hmac(raw, ['a', 'b'], 'secret')).toBe(false);
  });

  it("maps Shopify's order: name is the ref, line items, total, country, UTC time", () => {
    const order = shopifyOrder(fixture('shopify/orders-create.json'), {
      country: 'FR',
      supplierId: null,
    });
    expect(order).toMatchObject({
      ref: '#9999',
      placedAt: '2026-11-02T00:00:00.000Z',
      originCountry: 'FR',
      destinationCountry: 'US',
      total: { amount: '398.00', currency: 'USD' },
      items: [
        { sku: 'IPOD2008PINK', quantity: 1, unitPrice: '199.00' },
        { sku: 'IPOD2008BLACK', quantity: 1, unitPrice: '199.00' },
      ],
    });
  });

  it("maps Shopify's fulfillment: tracking_number (or tracking_numbers[0]) and its order", () => {
    const fulfillment = fixture('shopify/fulfillments-create.json');
    expect(shopifyShipment(fulfillment)).toEqual({
      trackingNumber: '1z827wk74630',
      carrier: 'UPS',
      shippedAt: '2026-11-03T13:00:00.000Z',
    });
    expect(shopifyShipment({ ...fulfillment, tracking_number: null })?.trackingNumber).toBe(
      '1z827wk74630',
    );
    expect(fulfillmentOrder(fulfillment).ref).toBe('#9999');
  });

  it("maps AfterShip's update: the latest checkpoint's time, customs only for an Exception", () => {
    const body = fixture('aftership/tracking-update.json');
    const update = trackingUpdate(body);
    expect(update).toMatchObject({
      trackingNumber: '1z827wk74630',
      tag: 'InTransit',
      at: new Date('2026-11-04T09:00:00.000Z'),
      customs: false,
    });
    const msg = body.msg as Record<string, unknown>;
    const held = { ...body, msg: { ...msg, tag: 'Exception', subtag_message: 'Held by Customs' } };
    expect(trackingUpdate(held).customs).toBe(true);
    const other = { ...body, msg: { ...msg, tag: 'Exception', subtag_message: 'Address issue' } };
    expect(trackingUpdate(other).customs).toBe(false);
  });

  it('reads a CSV: rows of one ref form one order, bad rows by line number', () => {
    const read = readOrdersCsv(
      [
        'ref,placedAt,promisedShipBy,shippedAt,trackingNumber,originCountry,destinationCountry,sku,quantity,unitPrice,currency,supplierId',
        'A,2026-11-01,,,,CN,FR,S1,3,0.10,EUR,',
        'A,2026-11-01,,,,CN,FR,S2,1,0.05,EUR,',
        'B,2026-11-01,,,,CN,fr,S1,1,1,EUR,',
        'C,2026-11-01,,,,CN,FR,S1,1,1,EUR',
      ].join('\r\n'),
    );
    expect(read.orders.map((o) => [o.order.ref, o.order.total.amount, o.rows])).toEqual([
      ['A', '0.35', [2, 3]],
    ]);
    expect(read.failed).toEqual([
      { row: 4, field: 'destinationCountry', problem: expect.any(String) },
      { row: 5, field: 'row', problem: 'has 11 columns, the header 12' },
    ]);
  });
});
