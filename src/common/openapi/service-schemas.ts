/**
 * The parties (merchants, suppliers), their keys, orders and money, the measures and the
 * operations routes, as OpenAPI components; each mirrors the view or interface named beside it.
 */
import {
  bool,
  country,
  currency,
  day,
  decimal,
  described,
  enumOf,
  instant,
  int,
  items,
  list,
  nullable,
  num,
  obj,
  page,
  ref,
  type Schema,
  str,
  uuid,
} from './schema-kit';

const secret = described('Shown once; Redress keeps it sealed', {
  type: 'string',
  example: 'whsec_...',
});

// MerchantView, Supplier (src/merchants, src/suppliers).
const party: Schema = obj({
  id: uuid,
  name: str,
  country,
  timezone: nullable(str),
  language: nullable(str),
  webhookUrl: nullable({ type: 'string', format: 'uri' }),
  createdAt: instant,
});

const balanceItem: Record<string, Schema> = {
  currency,
  claimed: decimal,
  refunded: decimal,
  outstanding: decimal,
  overdue: decimal,
  writtenOff: decimal,
  openCases: int,
};

export const SERVICE_SCHEMAS: Record<string, Schema> = {
  Merchant: party,
  MerchantCreated: { allOf: [ref('Merchant'), obj({ webhookSecret: secret })] },
  MerchantPage: page('Merchant'),
  Supplier: party,
  SupplierCreated: { allOf: [ref('Supplier'), obj({ webhookSecret: secret })] },
  SupplierPage: page('Supplier'),
  SecretRotated: obj({ webhookSecret: secret, previousSecretExpiresAt: instant }),
  Closure: obj({ id: uuid, supplierId: uuid, from: day, to: day, reason: str, createdAt: instant }),
  ClosureList: items('Closure'),
  ApiKey: obj({
    id: uuid,
    role: enumOf(['ops', 'merchant', 'supplier']),
    prefix: str,
    createdAt: instant,
    lastUsedAt: nullable(instant),
    revokedAt: nullable(instant),
  }),
  ApiKeyCreated: obj({
    id: uuid,
    key: described('The bearer key, shown once', { type: 'string', example: 'rk_live_...' }),
    prefix: str,
    role: enumOf(['ops', 'merchant', 'supplier']),
    merchantId: nullable(uuid),
    supplierId: nullable(uuid),
    createdAt: instant,
  }),
  ApiKeyList: items('ApiKey'),
  // orderView() (src/orders/order.view.ts).
  Order: {
    allOf: [
      ref('OrderSnapshot'),
      obj(
        {
          id: uuid,
          merchantId: uuid,
          supplierId: nullable(uuid),
          shipments: list(
            obj({
              trackingNumber: str,
              carrier: nullable(str),
              shippedAt: nullable(instant),
              lastTag: nullable(str),
            }),
          ),
          tracking: list(
            obj({
              trackingNumber: str,
              at: instant,
              tag: str,
              subtag: nullable(str),
              message: nullable(str),
            }),
          ),
          source: str,
          createdAt: instant,
          updatedAt: instant,
        },
        ['tracking'],
      ),
    ],
  },
  OrderPage: page('Order'),
  OrderImport: obj({
    created: int,
    updated: int,
    failed: list(obj({ row: int, field: str, problem: str })),
  }),
  // MoneyService (src/money/money.service.ts).
  Ledger: obj({
    caseId: uuid,
    currency,
    claimed: decimal,
    supplierRefunded: decimal,
    outstanding: decimal,
    buyerRefunded: decimal,
    writtenOff: decimal,
    net: decimal,
    entries: list(
      obj({ seq: int, at: instant, kind: str, amount: decimal, reference: nullable(str) }),
    ),
  }),
  Balance: obj({ supplierId: uuid, items: list(obj(balanceItem)) }),
  Receivables: obj({
    merchantId: uuid,
    items: list(
      obj({ ...balanceItem, supplierId: uuid, supplierName: str, lastActivityAt: instant }),
    ),
  }),
  ServiceRating: obj({
    merchantId: uuid,
    rating: nullable(num),
    band: nullable(enumOf(['red', 'yellow', 'green'])),
    answeredCases: int,
    windowStart: instant,
    windowEnd: instant,
    computedAt: instant,
  }),
  Checkpoint: obj({ id: str, at: instant, root: str, count: int, signature: str }),
  CheckpointPage: obj({
    algorithm: enumOf(['Ed25519']),
    publicKey: str,
    items: list(ref('Checkpoint')),
    nextCursor: nullable(str),
  }),
  CheckpointCheck: {
    allOf: [
      ref('Checkpoint'),
      obj(
        {
          valid: bool,
          signatureValid: bool,
          computedRoot: str,
          computedCount: int,
          problem: str,
        },
        ['problem'],
      ),
    ],
  },
  CalendarCountries: obj({ data: list(obj({ code: country, name: str, timezone: str })) }),
  BusinessDaysAnswer: obj({
    from: str,
    days: int,
    country,
    timezone: str,
    supplierId: nullable(uuid),
    fromDate: day,
    dueDate: day,
    dueAt: instant,
  }),
  TestClock: obj({ now: instant, fired: int }, ['fired']),
  MerchantSettings: obj({
    autoOpen: obj({
      late_shipment: bool,
      customs_delay: bool,
      lost_parcel: bool,
      buyer_cancellation: bool,
    }),
    lostAfterDays: obj({ domestic: int, international: int }),
  }),
  Integration: obj({
    merchantId: uuid,
    sender: enumOf(['shopify', 'aftership']),
    shopDomain: nullable(str),
    supplierId: nullable(uuid),
    configured: bool,
    updatedAt: instant,
  }),
};
