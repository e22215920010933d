import type { Party } from './ops-types';
import { api } from './ops-api';

/**
 * Merchant and supplier names by id, each read once (`GET /v1/merchants/:id`, `/v1/suppliers/:id`)
 * and kept for the tab's life; a party that cannot be read shows its id's first characters.
 */
const known = new Map<string, Promise<string>>();

export function partyName(kind: 'merchant' | 'supplier', id: string): Promise<string> {
  const key = `${kind}:${id}`;
  let found = known.get(key);
  if (!found) {
    found = api
      .get<Party>(`/v1/${kind}s/${encodeURIComponent(id)}`)
      .then((p) => p.name)
      .catch(() => {
        known.delete(key);
        return `${kind} ${id.slice(0, 8)}`;
      });
    known.set(key, found);
  }
  return found;
}

/** Fills an element with the party's name when it is known; its title keeps the id. */
export function nameInto(node: Element, kind: 'merchant' | 'supplier', id: string): Element {
  node.textContent = id.slice(0, 8);
  node.setAttribute('title', id);
  void partyName(kind, id).then((name) => (node.textContent = name));
  return node;
}

/** Remembers names already read in a list (the key screen's merchants and suppliers). */
export function rememberNames(kind: 'merchant' | 'supplier', parties: Party[]): void {
  for (const p of parties) known.set(`${kind}:${p.id}`, Promise.resolve(p.name));
}
