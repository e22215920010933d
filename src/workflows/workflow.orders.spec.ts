import { isDomestic, phaseOf, validateOrderForType } from './workflow.orders';
import { sampleOrder, SHIPPED } from './workflow.examples';
import { CASE_TYPES } from './workflow.types';

const unshipped = sampleOrder();
const shipped = sampleOrder(SHIPPED);

describe('validateOrderForType', () => {
  it('late_shipment needs promisedShipBy and an unshipped order', () => {
    expect(validateOrderForType('late_shipment', unshipped)).toBeNull();
    expect(validateOrderForType('late_shipment', sampleOrder({ promisedShipBy: null }))).toMatch(
      /promisedShipBy/,
    );
    expect(
      validateOrderForType('late_shipment', sampleOrder({ promisedShipBy: '10/03/2025' })),
    ).toMatch(/YYYY-MM-DD/);
    expect(validateOrderForType('late_shipment', shipped)).toMatch(/unshipped/);
  });

  it.each(['customs_delay', 'wrong_item', 'missing_item', 'damaged_item'] as const)(
    '%s needs a shipped order',
    (type) => {
      expect(validateOrderForType(type, shipped)).toBeNull();
      expect(validateOrderForType(type, unshipped)).toBe(
        `${type} needs a shipped order (order.shippedAt is missing)`,
      );
    },
  );

  it.each([
    'out_of_stock',
    'oversize',
    'unresponsive_supplier',
    'address_error',
    'buyer_cancellation',
  ] as const)('%s takes any order', (type) => {
    expect(validateOrderForType(type, unshipped)).toBeNull();
    expect(validateOrderForType(type, sampleOrder({ promisedShipBy: null }))).toBeNull();
  });
});

describe('phaseOf', () => {
  it('is fixed per type, except address_error, buyer_cancellation and payment_dispute which follow the order', () => {
    const phases = Object.fromEntries(
      CASE_TYPES.map((t) => [t, [phaseOf(t, unshipped), phaseOf(t, shipped)]]),
    );

    expect(phases).toEqual({
      out_of_stock: ['pre_shipment', 'pre_shipment'],
      oversize: ['pre_shipment', 'pre_shipment'],
      late_shipment: ['pre_shipment', 'pre_shipment'],
      unresponsive_supplier: ['pre_shipment', 'pre_shipment'],
      customs_delay: ['post_shipment', 'post_shipment'],
      wrong_item: ['post_shipment', 'post_shipment'],
      missing_item: ['post_shipment', 'post_shipment'],
      damaged_item: ['post_shipment', 'post_shipment'],
      address_error: ['pre_shipment', 'post_shipment'],
      buyer_cancellation: ['pre_shipment', 'post_shipment'],
      lost_parcel: ['post_shipment', 'post_shipment'],
      payment_dispute: ['pre_shipment', 'post_shipment'],
    });
  });

  it('domestic compares countries case-insensitively', () => {
    expect(isDomestic(sampleOrder({ originCountry: 'fr', destinationCountry: 'FR' }))).toBe(true);
    expect(isDomestic(sampleOrder({ originCountry: 'CN', destinationCountry: 'FR' }))).toBe(false);
  });
});
