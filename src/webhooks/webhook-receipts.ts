/**
 * Webhook dedupe, in one place: a supplier's webhook id is applied once. Its receipt row
 * (`webhook_receipts`, primary key `(supplier_id, webhook_id)`) is written in the same statement
 * or transaction as the event it carries, so the receipt and the event commit together or not at
 * all; everything that reads or writes those rows is here.
 *
 * - {@link receiptSeen}: the cheap look-up before anything is parsed or applied (a fast path only).
 * - {@link receiptCte}: the receipt as a part of the step's one statement (the unlocked write); a
 *   redelivery that got that far fails the whole statement on {@link RECEIPT_CONSTRAINT} and
 *   writes nothing ({@link isDuplicateReceipt} recognises it).
 * - {@link claimReceipt}: the receipt under the case's lock (the locked write), before the event.
 * - {@link purgeReceipts}: forgets ids older than {@link WEBHOOK_RECEIPT_RETENTION_MS}.
 */
import type { EntityManager } from 'typeorm';

/** Anything that runs a query: the data source or a transaction's manager. */
type Queryable = Pick<EntityManager, 'query'>;

/** A webhook delivery as its receipt names it. */
export interface WebhookReceipt {
  supplierId: string;
  webhookId: string;
}

/** The constraint a redelivered webhook's receipt violates. */
export const RECEIPT_CONSTRAINT = 'webhook_receipts_pkey';

/**
 * How long a webhook id is remembered. Suppliers retry within the 5-minute signature tolerance of
 * one signing, and usually for a day or so; 4 days is the floor we promise, 5 what we keep.
 */
export const WEBHOOK_RECEIPT_RETENTION_MS = 5 * 24 * 60 * 60 * 1000;

/** Whether the receipt of this delivery is already stored. */
export async function receiptSeen(db: Queryable, receipt: WebhookReceipt): Promise<boolean> {
  const rows = await db.query<unknown[]>(
    `SELECT 1 FROM webhook_receipts WHERE supplier_id = $1 AND webhook_id = $2`,
    [receipt.supplierId, receipt.webhookId],
  );
  return rows.length > 0;
}

/**
 * The receipt as a CTE of a step's statement, written with the case row `written` (nothing when
 * the row is not written). Without ON CONFLICT on purpose: a redelivery fails the statement on
 * {@link RECEIPT_CONSTRAINT}. The arguments are the statement's parameter placeholders.
 */
export function receiptCte(supplierId: string, webhookId: string, now: string): string {
  return `received AS (
      INSERT INTO webhook_receipts (supplier_id, webhook_id, received_at, case_id)
      SELECT ${supplierId}, ${webhookId}, ${now}, w.id
      FROM written w)`;
}

/** Whether `error` (TypeORM's QueryFailedError or pg's own) is a redelivery's receipt violation. */
export function isDuplicateReceipt(error: unknown): boolean {
  const driver = (error as { driverError?: unknown }).driverError ?? error;
  const { code, constraint } = driver as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === RECEIPT_CONSTRAINT;
}

/**
 * Records the receipt inside the event's transaction, the case row already locked: false when it
 * was there already (a redelivery), so the caller applies nothing.
 */
export async function claimReceipt(
  tx: Queryable,
  receipt: WebhookReceipt,
  caseId: string,
  now: Date,
): Promise<boolean> {
  const fresh = await tx.query<unknown[]>(
    `INSERT INTO webhook_receipts (supplier_id, webhook_id, received_at, case_id)
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING webhook_id`,
    [receipt.supplierId, receipt.webhookId, now, caseId],
  );
  return fresh.length > 0;
}

/** Forgets webhook ids received before `now` minus the retention; returns how many. */
export async function purgeReceipts(db: Queryable, now: Date): Promise<number> {
  const before = new Date(now.getTime() - WEBHOOK_RECEIPT_RETENTION_MS);
  const [, count] = await db.query<[unknown, number]>(
    `DELETE FROM webhook_receipts WHERE received_at < $1`,
    [before],
  );
  return count;
}
