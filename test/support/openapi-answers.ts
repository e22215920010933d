import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the tests read of an OpenAPI document. */
export interface DocResponse {
  $ref?: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema?: { $ref?: string } }>;
}
export interface DocOperation {
  responses: Record<string, DocResponse>;
  parameters?: { name: string; in: string }[];
  security?: unknown[];
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, DocOperation>>;
  components: { responses: Record<string, DocResponse> };
}

/** The committed document, the one the typed client is generated from. */
export function committedDocument(): OpenApiDocument {
  return JSON.parse(readFileSync(join(__dirname, '../../openapi.json'), 'utf8'));
}

/**
 * Checks real answers against the document: the JSON body of `method path` answered `status`
 * must match the schema the document gives for it (OpenAPI 3.0 schemas, `nullable` included;
 * formats and the discriminator's mapping are left to the `oneOf` itself), with the headers the
 * document says it carries when `headers` is given.
 */
export function answerChecker(document: OpenApiDocument) {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(document, 'openapi');
  const cache = new Map<string, ValidateFunction>();
  const escape = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

  /** The JSON Pointer (within 'openapi') of the answer's JSON schema; null: none documented. */
  const pointerOf = (method: string, path: string, status: number): string | null | undefined => {
    const base = `/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}`;
    const response = document.paths[path]?.[method.toLowerCase()]?.responses?.[String(status)];
    if (!response) return undefined;
    const shared = response.$ref?.split('/').pop();
    const [at, found] = shared
      ? [`/components/responses/${shared}`, document.components.responses[shared]]
      : [base, response];
    return found?.content?.['application/json']
      ? `openapi#${at}/content/application~1json/schema`
      : null;
  };

  /** The documented response headers the answer lacks. */
  const missingHeaders = (method: string, path: string, status: number, sent: object) => {
    let response = document.paths[path]?.[method.toLowerCase()]?.responses?.[String(status)];
    const shared = response?.$ref?.split('/').pop();
    if (shared) response = document.components.responses[shared];
    return Object.keys(response?.headers ?? {}).filter(
      (name) => !Object.keys(sent).includes(name.toLowerCase()),
    );
  };

  return (
    method: string,
    path: string,
    status: number,
    body: unknown,
    headers?: object,
  ): string[] => {
    const key = `${method} ${path} ${status}`;
    const pointer = pointerOf(method, path, status);
    if (pointer === undefined) return [`${key}: not in the document`];
    const lacking = headers ? missingHeaders(method, path, status, headers) : [];
    if (lacking.length) return lacking.map((name) => `${key}: no ${name} header`);
    if (pointer === null) return [];
    if (!cache.has(key)) cache.set(key, ajv.compile({ $ref: pointer }));
    const validate = cache.get(key)!;
    return validate(body)
      ? []
      : (validate.errors ?? []).map((e) => `${key}: ${e.instancePath} ${e.message ?? ''}`);
  };
}
