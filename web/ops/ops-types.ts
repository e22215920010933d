/**
 * What the ops console reads besides the shapes every page shares (web/shared/api-types.ts): the
 * case's actions and parties, every deadline, the workflow's payload fields, API keys. The
 * server's shapes: src/cases/case.view.ts, src/cases/case-deadlines.controller.ts,
 * src/workflows/workflow.describe.ts, src/common/auth/api-key.service.ts.
 */
import type { components } from '../../clients/typescript/src/schema';
import type {
  CaseDeadlines,
  CaseView,
  Merchant,
  Page,
  WorkflowDescription,
} from '../shared/api-types';

type Schemas = components['schemas'];

/** A case as ops reads it: every field the case view has (`allowedEvents`, `liability`...). */
export type OpsCase = CaseView;

/** A page of the case list with `includeTotal=true`. */
export interface CasePage extends Page<OpsCase> {
  total?: number;
}

/** `GET /v1/cases/:id/deadlines`: one deadline, running, fired or cancelled. */
export type DeadlineRow = CaseDeadlines['items'][number];

export type OpsWorkflow = WorkflowDescription;

/** A merchant or a supplier, as `GET /v1/merchants` and `GET /v1/suppliers` list them. */
export type Party = Pick<Merchant, 'id' | 'name' | 'country'>;

/** An API key as listed: never the key. */
export type ApiKeyView = Schemas['ApiKey'];

/** An API key just created: `key` is shown this once. */
export type CreatedApiKey = Schemas['ApiKeyCreated'];
