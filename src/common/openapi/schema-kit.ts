/**
 * A few builders for the JSON Schemas (OpenAPI 3.0 dialect) of the document's components, so a
 * schema reads like the view it describes: `obj({ id: uuid, name: str }, ['name'])`.
 */
export type Schema = Record<string, unknown>;

export const str: Schema = { type: 'string' };
export const uuid: Schema = { type: 'string', format: 'uuid' };
export const int: Schema = { type: 'integer' };
export const num: Schema = { type: 'number' };
export const bool: Schema = { type: 'boolean' };
export const instant: Schema = {
  type: 'string',
  format: 'date-time',
  description: 'ISO 8601 in UTC',
};
export const day: Schema = { type: 'string', format: 'date', example: '2026-12-24' };
export const decimal: Schema = {
  type: 'string',
  pattern: '^-?\\d+(\\.\\d+)?$',
  example: '19.99',
  description: 'A decimal string in the currency (never a float)',
};
export const currency: Schema = { type: 'string', pattern: '^[A-Z]{3}$', example: 'EUR' };
export const country: Schema = { type: 'string', pattern: '^[A-Z]{2}$', example: 'FR' };
/** Any JSON object (a payload whose fields depend on something else). */
export const anyObject: Schema = { type: 'object', additionalProperties: true };

export const enumOf = (values: readonly (string | number)[], description?: string): Schema => ({
  type: typeof values[0] === 'number' ? 'integer' : 'string',
  enum: [...values],
  ...(description ? { description } : {}),
});

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

/**
 * `null` allowed; a `$ref` (always an object's here) is wrapped: 3.0 ignores its siblings; an
 * enum lists null too (3.0.3: `nullable` does not widen an `enum`).
 */
export const nullable = (schema: Schema): Schema => {
  if ('$ref' in schema) return { type: 'object', allOf: [schema], nullable: true };
  if (Array.isArray(schema.enum))
    return { ...schema, enum: [...(schema.enum as unknown[]), null], nullable: true };
  return { ...schema, nullable: true };
};

export const list = (items: Schema, extra: Schema = {}): Schema => ({
  type: 'array',
  items,
  ...extra,
});

/** An object whose every property is required except those named in `optional`. */
export const obj = (
  properties: Record<string, Schema>,
  optional: readonly string[] = [],
  extra: Schema = {},
): Schema => {
  const required = Object.keys(properties).filter((name) => !optional.includes(name));
  return {
    type: 'object',
    ...(required.length ? { required } : {}),
    properties,
    ...extra,
  };
};

export const described = (description: string, schema: Schema): Schema => ({
  ...schema,
  description,
});

/** A cursor page: `{items, nextCursor}` (null on the last page). */
export const page = (item: string): Schema =>
  obj({
    items: list(ref(item)),
    nextCursor: described('Pass as `cursor` for the next page; null at the end', nullable(str)),
  });

/** `{items}`, a whole list. */
export const items = (item: string, extra: Record<string, Schema> = {}): Schema =>
  obj({ ...extra, items: list(ref(item)) });

/** A file's bytes. */
export const binary: Schema = { type: 'string', format: 'binary' };
