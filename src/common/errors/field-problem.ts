import type { FieldProblem } from './api-error';

/** The last segment of a dotted field path: `order.items.0.sku` -> `sku`. */
function nameOf(field: string): string {
  const dot = field.lastIndexOf('.');
  return dot === -1 ? field : field.slice(dot + 1);
}

/**
 * A problem as the error format gives it: a phrase about the field that `field` names, without
 * naming it again. class-validator writes its messages as sentences that start with the property
 * ("limit must not be greater than 200"), and a few other sources do too ("webhookUrl must use
 * https"); the field is then named once, in `field`. class-validator's own phrasings of an unknown
 * field, a nested value that is no object and a list's items are said in plain words.
 */
export function fieldProblem(field: string, problem: string): FieldProblem {
  const name = nameOf(field);
  let text = problem;
  if (text === `property ${name} should not exist`) text = 'is not a known field';
  else if (text === `nested property ${name} must be either object or array`)
    text = 'must be an object or an array';
  else if (text.startsWith(`each value in ${name} `))
    text = `each value ${text.slice(`each value in ${name} `.length)}`;
  else {
    // The message may name the field by its whole path (`external.dueBy`) or by its last part.
    const parts = field.split('.');
    for (let i = 0; i < parts.length; i++) {
      const named = parts.slice(i).join('.');
      if (named && text.startsWith(`${named} `)) {
        text = text.slice(named.length + 1);
        break;
      }
    }
  }
  // class-validator counts in plurals even for one ("at least 1 characters").
  text = text.replace(/\b1 (character|element)s\b/g, '1 $1');
  return { field, problem: text };
}

/**
 * The error's `message`: one clause per problem, each naming its field once
 * ("Invalid request: limit must not be greater than 200; cursor is not a cursor this API
 * returned").
 */
export function validationMessage(details: FieldProblem[]): string {
  if (details.length === 0) return 'Invalid request';
  return `Invalid request: ${details.map((d) => `${d.field} ${d.problem}`).join('; ')}`;
}
