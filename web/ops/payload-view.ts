import { el } from '../shared/dom';
import { nameInto } from './names';

/** Payload fields that hold a party's id: shown by the party's name (the id in its title). */
const PARTY_FIELDS: Record<string, 'merchant' | 'supplier'> = {
  merchantId: 'merchant',
  supplierId: 'supplier',
  fromSupplierId: 'supplier',
  toSupplierId: 'supplier',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `proofEvidenceId` -> `proof evidence id`: a field's name as a label. */
export const fieldLabel = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function valueNode(value: unknown): Element | string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) {
    if (value.every((v) => !isRecord(v) && !Array.isArray(v)))
      return value.map((v) => String(v as string | number | boolean)).join(', ');
    return el(
      'ol',
      { class: 'payload-list' },
      value.map((v) => el('li', {}, [valueNode(v)])),
    );
  }
  if (isRecord(value)) return payloadView(value);
  return String(value as string | number);
}

/**
 * An event's payload as fields a person reads: a definition list of its fields (nested objects
 * nested, lists of objects as numbered lists), text as text, never markup. Empty: a dash.
 */
export function payloadView(payload: unknown): Element {
  if (!isRecord(payload)) return el('span', {}, [valueNode(payload)]);
  const entries = Object.entries(payload);
  if (!entries.length) return el('span', { class: 'mute', text: '—' });
  return el(
    'dl',
    { class: 'payload' },
    entries.flatMap(([name, value]) =>
      PARTY_FIELDS[name] && typeof value === 'string' && UUID.test(value)
        ? [
            el('dt', { text: fieldLabel(name).replace(/ id$/, '') }),
            el('dd', {}, [nameInto(el('span'), PARTY_FIELDS[name], value)]),
          ]
        : [el('dt', { text: fieldLabel(name) }), el('dd', {}, [valueNode(value)])],
    ),
  );
}
