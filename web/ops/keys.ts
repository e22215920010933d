/**
 * API keys of merchants and suppliers: list a party's keys (never the keys themselves, only their
 * prefix), create one (a merchant key for a merchant, a supplier key for a supplier: the role
 * and the scope follow the owner), shown once, and revoke one. Ops keys come from
 * `REDRESS_BOOTSTRAP_OPS_KEY`, not from here.
 */
import { byId, el, one, table } from '../shared/dom';
import { when } from '../shared/format';
import { rememberNames } from './names';
import { api, errorText, send } from './ops-api';
import type { ApiKeyView, CreatedApiKey, Party } from './ops-types';

type Kind = 'merchant' | 'supplier';

const form = () => byId<HTMLFormElement>('keys-form');
const kindOf = () => one<HTMLSelectElement>('select[name=kind]', form()).value as Kind;
const ownerOf = () => one<HTMLSelectElement>('select[name=owner]', form()).value;

async function loadOwners(): Promise<void> {
  const kind = kindOf();
  const select = one<HTMLSelectElement>('select[name=owner]', form());
  const body = await api.get<{ items: Party[] }>(`/v1/${kind}s?limit=200`);
  rememberNames(kind, body.items);
  select.replaceChildren(
    ...body.items.map((p) => el('option', { value: p.id, text: `${p.name} (${p.country})` })),
  );
  await listKeys();
}

async function listKeys(): Promise<void> {
  const box = byId('key-list');
  const owner = ownerOf();
  if (!owner) {
    box.replaceChildren(el('p', { class: 'mute', text: `No ${kindOf()} yet.` }));
    return;
  }
  const body = await api.get<{ items: ApiKeyView[] }>(`/v1/${kindOf()}s/${owner}/api-keys`);
  if (!body.items.length) {
    box.replaceChildren(el('p', { class: 'mute', text: 'No key.' }));
    return;
  }
  const cell = (label: string, children: (Node | string)[]) =>
    el('td', { 'data-label': label }, children);
  // One card per key on a narrow screen (ops.css `table.cards`).
  const list = table(
    ['Prefix', 'Role', 'Created', 'Last used', 'State'],
    body.items.map((k) =>
      el('tr', { 'data-key': k.id }, [
        cell('Prefix', [el('code', { text: `${k.prefix}…` })]),
        cell('Role', [k.role]),
        cell('Created', [when(k.createdAt)]),
        cell('Last used', [when(k.lastUsedAt) || 'never']),
        cell('State', [
          k.revokedAt
            ? el('span', { class: 'badge bad', text: `revoked ${when(k.revokedAt)}` })
            : el('button', {
                type: 'button',
                class: 'revoke',
                'aria-label': `Revoke key ${k.prefix}`,
                text: 'Revoke',
                onclick: () => void revoke(k),
              }),
        ]),
      ]),
    ),
  );
  list.classList.add('cards');
  box.replaceChildren(list);
}

async function revoke(k: ApiKeyView): Promise<void> {
  byId('keys-error').textContent = '';
  try {
    await send('DELETE', `/v1/api-keys/${k.id}`);
    byId('keys-status').textContent = `Key ${k.prefix}… revoked.`;
    await listKeys();
  } catch (e) {
    byId('keys-error').textContent = errorText(e);
  }
}

async function create(): Promise<void> {
  byId('keys-error').textContent = '';
  const owner = ownerOf();
  if (!owner) return;
  try {
    const created = await send<CreatedApiKey>('POST', `/v1/${kindOf()}s/${owner}/api-keys`, {});
    const secret = el('input', {
      id: 'new-key-value',
      readonly: true,
      value: created.key,
      'aria-describedby': 'new-key-hint',
    }) as HTMLInputElement;
    byId('new-key').replaceChildren(
      el('label', { for: 'new-key-value' }, [`New ${created.role} key`, secret]),
      el('p', {
        id: 'new-key-hint',
        class: 'hint',
        text: 'Copy it now: it is shown this once and stored only as a hash.',
      }),
    );
    byId('new-key').hidden = false;
    secret.focus();
    secret.select();
    await listKeys();
  } catch (e) {
    byId('keys-error').textContent = errorText(e);
  }
}

const guarded = (work: () => Promise<void>) => () =>
  void work().catch((e: unknown) => (byId('keys-error').textContent = errorText(e)));

/** Shows the key screen for the chosen kind of owner. */
export function showKeys(): void {
  byId('new-key').hidden = true;
  guarded(loadOwners)();
}

export function setUpKeys(): void {
  one('select[name=kind]', form()).addEventListener('change', guarded(loadOwners));
  one('select[name=owner]', form()).addEventListener('change', guarded(listKeys));
  form().addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(create)();
  });
}
