/**
 * The CSV import's reading (intake.md): one order line per row, a header row naming the columns,
 * rows of one `ref` forming one order. Pure: text in, the orders and the bad rows out. A bad row
 * is reported by its line number in the file (the header is line 1, as a spreadsheet numbers
 * them) with the first field found wrong, and left out; it never stops the other rows, nor the
 * other lines of its order.
 */
import { parse } from 'csv-parse/sync';
import { isBareDate, toUtcTime } from '../common/validation/validators';
import type { OrderInput } from './order.types';

export const CSV_COLUMNS = [
  'ref',
  'placedAt',
  'promisedShipBy',
  'shippedAt',
  'trackingNumber',
  'originCountry',
  'destinationCountry',
  'sku',
  'quantity',
  'unitPrice',
  'currency',
  'supplierId',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

/** A row the import left out. */
export interface RowFailure {
  row: number;
  field: string;
  problem: string;
}

/** The orders of a file, each with the line numbers it came from. */
export interface ReadCsv {
  orders: { order: OrderInput; rows: number[] }[];
  failed: RowFailure[];
}

/** The file itself cannot be read (no header, a quote never closed...): 400, nothing imported. */
export class CsvUnreadable extends Error {}

const DECIMAL = /^(0|[1-9]\d{0,14})(\.\d{1,4})?$/;
const COUNTRY = /^[A-Z]{2}$/;
const CURRENCY = /^[A-Z]{3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPTIONAL: ReadonlySet<Column> = new Set([
  'promisedShipBy',
  'shippedAt',
  'trackingNumber',
  'supplierId',
]);

type Row = Record<Column, string>;

/** The first problem of a row, or null. */
function problemOf(row: Row): { field: Column; problem: string } | null {
  const checks: [Column, (v: string) => string | null][] = [
    ['ref', (v) => (v.length <= 200 ? null : 'must be at most 200 characters')],
    [
      'placedAt',
      (v) => (toUtcTime(v) ? null : 'must be an ISO 8601 date-time with offset or a date'),
    ],
    ['promisedShipBy', (v) => (isBareDate(v) ? null : 'must be a date YYYY-MM-DD that exists')],
    [
      'shippedAt',
      (v) => (toUtcTime(v) ? null : 'must be an ISO 8601 date-time with offset or a date'),
    ],
    ['trackingNumber', (v) => (v.length <= 100 ? null : 'must be at most 100 characters')],
    [
      'originCountry',
      (v) => (COUNTRY.test(v) ? null : 'must be an ISO 3166-1 alpha-2 code such as "CN"'),
    ],
    [
      'destinationCountry',
      (v) => (COUNTRY.test(v) ? null : 'must be an ISO 3166-1 alpha-2 code such as "FR"'),
    ],
    ['sku', (v) => (v.length <= 200 ? null : 'must be at most 200 characters')],
    [
      'quantity',
      (v) =>
        /^[1-9]\d{0,6}$/.test(v) && Number(v) <= 1_000_000
          ? null
          : 'must be a whole number from 1 to 1,000,000',
    ],
    ['unitPrice', (v) => (DECIMAL.test(v) ? null : 'must be a decimal such as 19.99')],
    ['currency', (v) => (CURRENCY.test(v) ? null : 'must be an ISO 4217 code such as EUR')],
    ['supplierId', (v) => (UUID.test(v) ? null : 'must be a UUID')],
  ];
  for (const [field, check] of checks) {
    const value = row[field];
    if (value === '') {
      if (OPTIONAL.has(field)) continue;
      return { field, problem: 'is required' };
    }
    const problem = check(value);
    if (problem) return { field, problem };
  }
  return null;
}

/** Sums `quantity x unitPrice` exactly, in ten-thousandths. */
function totalOf(items: { quantity: number; unitPrice: string }[]): string {
  let sum = 0n;
  for (const { quantity, unitPrice } of items) {
    const [whole, fraction = ''] = unitPrice.split('.');
    sum += BigInt(quantity) * (BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0')));
  }
  const cents = sum / 100n + (sum % 100n >= 50n ? 1n : 0n);
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** Reads the file; throws {@link CsvUnreadable} when it is not a CSV with the header. */
export function readOrdersCsv(text: string): ReadCsv {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    });
  } catch (error) {
    throw new CsvUnreadable(error instanceof Error ? error.message : String(error));
  }
  const header = records[0];
  if (!header) throw new CsvUnreadable('the file is empty: a header row is required');
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) throw new CsvUnreadable(`the header lacks ${missing.join(', ')}`);
  const index = CSV_COLUMNS.map((c) => header.indexOf(c));

  const failed: RowFailure[] = [];
  const byRef = new Map<string, { order: OrderInput; rows: number[]; currency: string }>();
  for (let i = 1; i < records.length; i++) {
    const line = i + 1;
    const cells = records[i];
    if (cells.length !== header.length) {
      failed.push({
        row: line,
        field: 'row',
        problem: `has ${cells.length} columns, the header ${header.length}`,
      });
      continue;
    }
    const row = Object.fromEntries(CSV_COLUMNS.map((c, k) => [c, cells[index[k]]])) as Row;
    const bad = problemOf(row);
    if (bad) {
      failed.push({ row: line, ...bad });
      continue;
    }
    const item = { sku: row.sku, quantity: Number(row.quantity), unitPrice: row.unitPrice };
    const known = byRef.get(row.ref);
    if (known) {
      if (known.currency !== row.currency) {
        failed.push({
          row: line,
          field: 'currency',
          problem: `differs from the order's ${known.currency}`,
        });
        continue;
      }
      known.order.items.push(item);
      known.rows.push(line);
      known.order.supplierId ??= row.supplierId || null;
      continue;
    }
    const shippedAt = row.shippedAt ? toUtcTime(row.shippedAt) : null;
    const trackingNumber = row.trackingNumber || null;
    byRef.set(row.ref, {
      currency: row.currency,
      rows: [line],
      order: {
        ref: row.ref,
        placedAt: toUtcTime(row.placedAt)!,
        promisedShipBy: row.promisedShipBy || null,
        shippedAt,
        trackingNumber,
        originCountry: row.originCountry,
        destinationCountry: row.destinationCountry,
        items: [item],
        total: { amount: '0', currency: row.currency },
        supplierId: row.supplierId || null,
        shipments: trackingNumber ? [{ trackingNumber, carrier: null, shippedAt }] : [],
      },
    });
  }
  const orders = [...byRef.values()].map(({ order, rows }) => ({
    order: { ...order, total: { ...order.total, amount: totalOf(order.items) } },
    rows,
  }));
  return { orders, failed };
}
