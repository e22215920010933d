import type { FieldProblem } from '../errors/api-error';

/**
 * Strict JSON for request bodies (hardening.md, "Input limits"). `JSON.parse` alone accepts
 * bodies whose meaning the client cannot be sure of, or that cost the server dearly:
 * - bytes that are not UTF-8 (Node would store U+FFFD in their place);
 * - a key given twice (`{"type":"WITHDRAW","type":"NOTE"}`: the last one silently wins);
 * - a number that does not survive parsing: `1e400` (Infinity), `1e-400` (0), an integer past
 *   2^53 - 1 (rounded to another integer);
 * - nesting deeper than {@link MAX_JSON_DEPTH}: class-transformer, the validation pipe and the
 *   timeline's canonical JSON all recurse, and `JSON.parse` itself spends 0.4 s on 1 MiB of `[`.
 * So the text is scanned once before `JSON.parse` (in order, not building anything), and the
 * first of these is refused with the field it is in.
 */
export const MAX_JSON_DEPTH = 32;

export type StrictJsonResult = { ok: true; value: unknown } | { ok: false; problem: FieldProblem };

interface Finding {
  problem: string;
  field: string;
  /** Deep nesting is refused before `JSON.parse` runs; the rest only once the text is JSON. */
  tooDeep: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes and parses a JSON request body, or names its first problem. */
export function parseStrictJson(raw: Uint8Array): StrictJsonResult {
  let text: string;
  try {
    // A leading byte order mark is dropped, as secure-json-parse did.
    text = utf8.decode(raw);
  } catch {
    return refuse('body', 'is not valid UTF-8: the bytes must be UTF-8 encoded text');
  }
  if (text.length === 0) return refuse('body', 'is empty: send a JSON value, or no body at all');
  const finding = scan(text);
  if (finding?.tooDeep) return refuse(finding.field, finding.problem);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return refuse('body', `is not valid JSON (${(error as Error).message})`);
  }
  return finding ? refuse(finding.field, finding.problem) : { ok: true, value };
}

function refuse(field: string, problem: string): StrictJsonResult {
  return { ok: false, problem: { field, problem } };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * One pass over the text: strings are skipped with `indexOf` (a long note costs almost nothing),
 * and only brackets, commas, keys and numbers are looked at. Robust to text that is not JSON (it
 * never throws and always ends); what it finds there is moot, as `JSON.parse` refuses it anyway.
 */
function scan(text: string): Finding | null {
  const length = text.length;
  // Per level (1 = inside the outermost container): object or array, the key or index being
  // read (for the field's name), and the keys met so far in that object.
  const isObject = new Uint8Array(MAX_JSON_DEPTH + 1);
  const at: (string | number)[] = new Array<string | number>(MAX_JSON_DEPTH + 1);
  const keys: (Set<string> | null)[] = new Array<Set<string> | null>(MAX_JSON_DEPTH + 1);
  let depth = 0;
  let expectKey = false;
  let found: Finding | null = null;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i + 1);
      if (expectKey && depth > 0) {
        const key = keyOf(text, i, end);
        at[depth] = key;
        found ??= keyProblem(key, keys, at, depth);
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      // { or [
      if (depth === MAX_JSON_DEPTH) {
        return {
          field: fieldAt(at, depth),
          problem: `nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays`,
          tooDeep: true,
        };
      }
      depth++;
      isObject[depth] = c === 0x7b ? 1 : 0;
      at[depth] = c === 0x7b ? '' : 0;
      keys[depth] = null;
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      // } or ]
      if (depth > 0) depth--;
      expectKey = false;
    } else if (c === 0x2c) {
      // ,
      if (isObject[depth] === 1) expectKey = true;
      else if (depth > 0) at[depth] = (at[depth] as number) + 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      // - or a digit: a number runs to the next character that cannot be part of one.
      let end = i + 1;
      let exponent = false;
      for (; end < length; end++) {
        const d = text.charCodeAt(end);
        if (d === 0x65 || d === 0x45) exponent = true;
        else if (!((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x2b || d === 0x2d)) break;
      }
      // Up to 15 characters without an exponent, a number is exact enough and far from 0 or
      // Infinity: only longer ones are checked, so ordinary bodies skip Number() entirely.
      if (found === null && (exponent || end - i > 15)) {
        const problem = numberProblem(text.slice(i, end));
        if (problem) found = { field: fieldAt(at, depth), problem, tooDeep: false };
      }
      i = end - 1;
    }
  }
  return found;
}

/** The index of the quote that closes the string whose content starts at `from` (or the end). */
function stringEnd(text: string, from: number): number {
  for (let search = from; ; ) {
    const quote = text.indexOf('"', search);
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (
      quote - backslashes - 1 >= from &&
      text.charCodeAt(quote - backslashes - 1) === BACKSLASH
    )
      backslashes++;
    if (backslashes % 2 === 0) return quote;
    search = quote + 1;
  }
}

/** The key as `JSON.parse` reads it (`"\u0074ype"` is `type`). */
function keyOf(text: string, open: number, close: number): string {
  const raw = text.slice(open + 1, close);
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(text.slice(open, close + 1)) as string;
  } catch {
    return raw; // not JSON: JSON.parse will refuse the whole text
  }
}

function keyProblem(
  key: string,
  keys: (Set<string> | null)[],
  at: (string | number)[],
  depth: number,
): Finding | null {
  const seen = (keys[depth] ??= new Set<string>());
  if (seen.has(key)) {
    return {
      field: fieldAt(at, depth),
      problem: 'is given twice in the same object; each key may appear once',
      tooDeep: false,
    };
  }
  seen.add(key);
  // Prototype poisoning, refused as Fastify's secure-json-parse did.
  if (
    key === '__proto__' ||
    (key === 'prototype' && depth > 1 && at[depth - 1] === 'constructor')
  ) {
    return { field: fieldAt(at, depth), problem: 'is a reserved name', tooDeep: false };
  }
  return null;
}

/**
 * Why a number cannot be kept as the client wrote it: out of range (Infinity), so small it
 * becomes 0, or an integer written out in digits that would be written back as another integer
 * (past 2^53, 9007199254740993 reads as ...992). Decimal fractions that round in binary (0.1)
 * are ordinary JSON numbers and pass.
 */
export function numberProblem(token: string): string | null {
  const value = Number(token);
  if (Number.isNaN(value)) return null; // not a JSON number: JSON.parse refuses the text
  if (!Number.isFinite(value)) return 'is a number too large to represent (not finite once parsed)';
  const mantissa = token.split(/[eE]/)[0];
  if (value === 0 && /[1-9]/.test(mantissa)) {
    return 'is a number too small to represent (it would be read as 0)';
  }
  if (
    !Number.isSafeInteger(value) &&
    /^-?\d+$/.test(token) &&
    BigInt(token) !== BigInt(value) &&
    String(value) !== token // what JSON.stringify writes for it reads back as itself
  ) {
    return 'is an integer too large to be kept exactly (it would be read as another number)';
  }
  return null;
}

/**
 * `payload.items.0.sku`: the keys and indexes down to `depth`, `body` at the top; a name that
 * would run past 200 characters ends in `...` after the last whole segment that fits.
 */
function fieldAt(at: (string | number)[], depth: number): string {
  if (depth === 0) return 'body';
  // A body that is an array names its items `body.0`, `body.1`...
  const first = typeof at[1] === 'number' ? `body.${at[1]}` : at[1];
  if (first.length > 200) return `${first.slice(0, 200)}...`;
  let field = first;
  for (let level = 2; level <= depth; level++) {
    const next = `${field}.${at[level]}`;
    if (next.length > 200) return `${field}...`;
    field = next;
  }
  return field;
}
