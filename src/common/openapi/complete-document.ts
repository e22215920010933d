/**
 * What decorators cannot say, added to the generated document in one place: the components
 * (resources, events, the Error body), the refusals every route of a kind has, the shared headers
 * and parameters, security as it is (bearer keys on /v1 routes, none on receivers and links),
 * servers, tags and the outbound notifications (`x-webhooks`: the document is OpenAPI 3.0).
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import { EVENT_SCHEMAS, notificationWebhooks } from './event-schemas';
import { CASE_SCHEMAS } from './case-schemas';
import { SERVICE_SCHEMAS } from './service-schemas';
import { ref, str } from './schema-kit';

type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  'x-refusals'?: Record<string, string>;
};
type Parameter = { name: string; in: string; required?: boolean; description?: string } & Record<
  string,
  unknown
>;

const error = { 'application/json': { schema: ref('Error') } };
const retryAfter = { 'Retry-After': { $ref: '#/components/headers/Retry-After' } };

/** The refusals shared by many routes, by status. */
const RESPONSES: Record<string, { name: string; description: string; retry?: true }> = {
  '400': {
    name: 'BadRequest',
    description: 'validation_failed: a field, parameter or header is not as documented (`details`)',
  },
  '401': {
    name: 'Unauthorized',
    description: 'unauthorized: no key, or an unknown or revoked one',
  },
  '403': { name: 'Forbidden', description: 'forbidden: your key’s role or scope may not do this' },
  '404': { name: 'NotFound', description: 'not_found: no such resource, or not yours to see' },
  '409': {
    name: 'IdempotencyConflict',
    description:
      'idempotency_key_reused (another request with this key) or idempotency_key_in_use (still running)',
  },
  '413': { name: 'PayloadTooLarge', description: 'payload_too_large: the body is over its limit' },
  '415': {
    name: 'UnsupportedMediaType',
    description: 'unsupported_media_type: not the content type this route takes',
  },
  '429': {
    name: 'TooManyRequests',
    description: 'rate_limited: too many requests; retry after `Retry-After` seconds',
    retry: true,
  },
  '500': { name: 'InternalError', description: 'internal_error: a bug; it has been logged' },
  '503': {
    name: 'ServiceUnavailable',
    description: 'service_unavailable: the database cannot be reached; retry shortly',
    retry: true,
  },
};

const TAGS: Record<string, string> = {
  cases: 'Cases, their events, timeline, messages and notifications',
  evidence: 'Photos, videos and documents attached to a case; the evidence packet',
  money: 'Claims, refunds and what suppliers owe (money.md)',
  merchants: 'Merchants (ops) and their keys and webhook secrets',
  suppliers: 'Suppliers, their closures, keys and webhook secrets',
  'api-keys': 'API keys',
  orders: 'Orders a case can be opened about',
  workflows: 'The case types’ state machines, as data and diagrams',
  links: 'Supplier and buyer links: pages without an API key, by a token',
  webhooks: 'Inbound supplier webhooks (Standard Webhooks signatures, no API key)',
  integrations: 'Shopify and AfterShip receivers and their settings',
  measures: 'Scorecards and the service rating',
  calendar: 'Business days per country',
  operations: 'Health, audit export and signed checkpoints',
  'test-clock': 'The test clock (REDRESS_TEST_CLOCK=1 only)',
  notifications: 'Outbound notifications Redress POSTs to merchants and suppliers',
};

function completeOperation(method: string, op: Operation): void {
  const secured = Boolean(op.security?.length);
  // Receivers, links and /health take no API key: say so, rather than inherit nothing.
  if (!secured) op.security = [];
  const params = dedupeHeaders(op.parameters ?? []);
  if (method === 'post' && secured) {
    params.push({ $ref: '#/components/parameters/Idempotency-Key' } as unknown as Parameter);
  }
  op.parameters = params;

  const refusals: Record<string, string> = {};
  const inPath = params.some((p) => p.in === 'path');
  if (params.length || op.requestBody) refusals['400'] = '';
  if (secured) Object.assign(refusals, { '401': '', '403': '', '429': '' });
  if (inPath) refusals['404'] = '';
  if (op.requestBody) Object.assign(refusals, { '413': '', '415': '' });
  if (method === 'post' && secured) refusals['409'] = '';
  Object.assign(refusals, { '500': '', '503': '' });
  /** The statuses every route of this kind has: their shared meaning applies here too. */
  const byRule = new Set(Object.keys(refusals));
  for (const status of Object.keys(op.responses))
    if (Number(status) >= 400) refusals[status] ??= '';
  for (const [status, text] of Object.entries(op['x-refusals'] ?? {})) refusals[status] = text;
  delete op['x-refusals'];

  for (const [status, text] of Object.entries(refusals)) {
    const shared = RESPONSES[status];
    const given = op.responses[status] as { description?: string } | undefined;
    if (!text && shared && !given) {
      op.responses[status] = { $ref: `#/components/responses/${shared.name}` };
      continue;
    }
    // A route's own refusals: its words, plus the shared meaning when this route has it too.
    const description = [text || given?.description, byRule.has(status) && shared?.description]
      .filter(Boolean)
      .join('; or ');
    op.responses[status] = {
      description: description || 'Refused',
      content: error,
      ...(shared?.retry ? { headers: retryAfter } : {}),
    };
  }
}

/**
 * One parameter per header: `@Headers('if-match')` makes a required `if-match` beside the
 * documented `@ApiHeader('If-Match')`; the documented one is kept, and `If-Match` is a shared one.
 */
function dedupeHeaders(params: Parameter[]): Parameter[] {
  const kept: Parameter[] = [];
  for (const param of params) {
    if (param.in !== 'header') {
      kept.push(param);
      continue;
    }
    const name = param.name.toLowerCase();
    const other = kept.findIndex((p) => p.in === 'header' && p.name.toLowerCase() === name);
    if (other >= 0 && !param.description) continue;
    if (other >= 0) kept.splice(other, 1);
    kept.push(param);
  }
  return kept.map((param) =>
    param.in === 'header' && param.name.toLowerCase() === 'if-match'
      ? ({ $ref: '#/components/parameters/If-Match' } as unknown as Parameter)
      : param,
  );
}

export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      completeOperation(method, op as Operation);
    }
  }
  const components = document.components ?? {};
  components.schemas = {
    ...components.schemas,
    ...CASE_SCHEMAS,
    ...SERVICE_SCHEMAS,
    ...EVENT_SCHEMAS,
  };
  components.responses = Object.fromEntries(
    Object.values(RESPONSES).map(({ name, description, retry }) => [
      name,
      { description, content: error, ...(retry ? { headers: retryAfter } : {}) },
    ]),
  );
  components.headers = {
    'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
    ETag: { description: 'The case `version`, quoted: send it back as `If-Match`', schema: str },
    Location: { description: 'Where the resource created is read', schema: str },
    'Content-Disposition': { description: 'The file name to save the body as', schema: str },
  };
  components.parameters = {
    'Idempotency-Key': {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        '1 to 255 characters. The same request with the same key within 24 h answers the stored ' +
        'answer (with `Idempotent-Replayed: true`) instead of running again.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    },
    'If-Match': {
      name: 'If-Match',
      in: 'header',
      required: false,
      description:
        'The case version you last saw (its `ETag`); another version answers 409 version_conflict',
      schema: { type: 'string', example: '"3"' },
    },
  };
  document.components = components;
  document.servers = [{ url: 'http://localhost:3000', description: 'A local server (npm start)' }];
  document.tags = Object.entries(TAGS).map(([name, description]) => ({ name, description }));
  (document as OpenAPIObject & { 'x-webhooks': unknown })['x-webhooks'] = notificationWebhooks();
  return document;
}
