/**
 * The API's answers as the pages read them: each type is the OpenAPI document's schema
 * (openapi.json, generated into clients/typescript/src/schema.d.ts by `npm run client:generate`),
 * so a page that reads a field the API does not answer fails `npm run check`. Times are ISO 8601
 * strings in UTC.
 */
import type { components } from '../../clients/typescript/src/schema';

type Schemas = components['schemas'];

/** `{statusCode, error, message, details?}`: every refusal, whatever its status. */
export type ErrorBody = Partial<Schemas['Error']>;

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export type Deadline = Schemas['Deadline'];
export type Evidence = Schemas['CaseEvidence'];
export type OrderItem = Schemas['OrderItem'];
export type Money = Schemas['Money'];
export type OrderSnapshot = Schemas['OrderSnapshot'];
/** `GET /v1/orders?ref=`: a merchant's order. */
export type OrderView = Schemas['OrderPage']['items'][number];
export type Claim = Schemas['Claim'];
export type CaseView = Schemas['Case'];
export type CaseDeadlines = Schemas['CaseDeadlines'];
/** `GET /v1/cases/:id/ledger` (money.md): amounts are decimal strings in `currency`. */
export type Ledger = Schemas['Ledger'];
/** `GET /v1/merchants/:id/receivables`: one row per supplier and currency. */
export type Receivable = Schemas['Receivables']['items'][number];
/** `GET /v1/merchants/me` and `/v1/merchants/:id`. */
export type Merchant = Schemas['Merchant'];
/** `POST /v1/cases/:id/supplier-link` and `/buyer-link`: the token shows once. */
export type CreatedLink = Schemas['CreatedLink'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type Timeline = Schemas['TimelinePage'];
export type Notification = Schemas['Notification'];
export type WorkflowDescription = Schemas['Workflow'];
export type WorkflowSummary = Pick<WorkflowDescription, 'type' | 'payloads'>;
/** A message of a case's thread (collaboration.md). */
export type Message = Schemas['Message'];
/** `GET /v1/portal/<token>`: the supplier's view of one case. */
export type PortalView = Schemas['PortalView'];
/** What a link's page may send: an event with its payload fields. */
export type PortalForm = PortalView['forms'][number];
/** `GET /v1/buyer/<token>`: the buyer's view. */
export type BuyerView = Schemas['BuyerView'];
