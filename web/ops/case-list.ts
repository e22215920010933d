/**
 * The case list: filters (merchant and supplier by name), search by order ref or case id, pages
 * (25 cases unless the form says otherwise) with their position in the whole ("26–50 of 73", from `includeTotal=true`), next and
 * previous by the API's cursors. Each case is a link to `/ops/cases/<id>`.
 */
import { byId, el, one } from '../shared/dom';
import { when } from '../shared/format';
import { statusText } from './case-view';
import { nameInto, rememberNames } from './names';
import { api, errorText } from './ops-api';
import type { CasePage, OpsCase, Party } from './ops-types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The query of the list shown, and the cursor that starts each page seen so far. */
const list = { query: '', size: 25, starts: [null] as (string | null)[], page: 0 };
let openCase: (id: string) => void = () => undefined;

/** Fills the merchant and supplier filters with names (the first 200 of each). */
export async function loadPartyFilters(): Promise<void> {
  for (const kind of ['merchant', 'supplier'] as const) {
    const body = await api.get<{ items: Party[] }>(`/v1/${kind}s?limit=200`);
    rememberNames(kind, body.items);
    const select = one<HTMLSelectElement>(`#filters select[name=${kind}Id]`);
    select.replaceChildren(
      el('option', { value: '', text: 'any' }),
      ...body.items.map((p) => el('option', { value: p.id, text: p.name })),
    );
  }
}

/** Applies the filter form: a case id opens that case; an order ref lists its cases. */
export function search(): void {
  const params = new URLSearchParams();
  new FormData(byId<HTMLFormElement>('filters')).forEach((value, name) => {
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) return;
    if (name === 'q') {
      if (UUID.test(text)) openCase(text.toLowerCase());
      else params.set('orderRef', text);
    } else params.set(name, text);
  });
  list.size = Number(params.get('limit') ?? 25);
  params.set('includeTotal', 'true');
  list.query = params.toString();
  list.starts = [null];
  list.page = 0;
  void showPage();
}

/** The latest page asked for: an answer to an earlier one, arriving late, is dropped. */
let asked = 0;

async function showPage(): Promise<void> {
  const ticket = ++asked;
  const start = list.starts[list.page];
  const cursor = start ? `&cursor=${encodeURIComponent(start)}` : '';
  const error = byId('list-error');
  error.textContent = '';
  const tbody = one('#cases tbody');
  tbody.setAttribute('aria-busy', 'true');
  try {
    const body = await api.get<CasePage>(`/v1/cases?${list.query}${cursor}`);
    if (ticket !== asked) return;
    tbody.replaceChildren(...body.items.map(caseRow));
    if (!body.items.length) {
      tbody.appendChild(
        el('tr', {}, [el('td', { colspan: 9, class: 'mute', text: 'No case matches.' })]),
      );
    }
    list.starts[list.page + 1] = body.nextCursor ?? null;
    const first = list.page * list.size + 1;
    const last = list.page * list.size + body.items.length;
    byId('count').textContent = body.items.length
      ? `Cases ${first}–${last}${body.total === undefined ? '' : ` of ${body.total}`}`
      : `0 cases`;
    byId<HTMLButtonElement>('prev').disabled = list.page === 0;
    byId<HTMLButtonElement>('next').disabled = !body.nextCursor;
  } catch (e) {
    if (ticket === asked) error.textContent = errorText(e);
  } finally {
    if (ticket === asked) tbody.removeAttribute('aria-busy');
  }
}

function caseRow(c: OpsCase): Element {
  const cell = (label: string, children: (Node | string | null)[]) =>
    el('td', { 'data-label': label }, children);
  const link = el('a', { href: `/ops/cases/${c.id}`, 'data-case-link': c.id }, [
    el('code', { text: c.id.slice(0, 8) }),
  ]);
  link.addEventListener('click', (event) => {
    const e = event as MouseEvent;
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return; // a new tab: the link's own
    event.preventDefault();
    openCase(c.id);
  });
  return el('tr', { 'data-case': c.id }, [
    cell('Case', [link]),
    cell('Order', [c.order?.ref ?? '—']),
    cell('Type', [c.type]),
    cell('State', [c.state]),
    cell('Status', [statusText(c)]),
    cell('Merchant', [nameInto(el('span'), 'merchant', c.merchantId)]),
    cell('Supplier', [nameInto(el('span'), 'supplier', c.supplierId)]),
    cell('Next deadline', [
      c.nextDeadline ? `${c.nextDeadline.kind} ${when(c.nextDeadline.dueAt)}` : '—',
    ]),
    cell('Breach', [c.breached ? el('span', { class: 'badge bad', text: 'breached' }) : null]),
  ]);
}

/** Marks the open case's row. */
export function markSelected(id: string | null): void {
  document.querySelectorAll('#cases tbody tr').forEach((tr) => {
    const selected = tr.getAttribute('data-case') === id;
    tr.classList.toggle('selected', selected);
    if (selected) tr.setAttribute('aria-current', 'true');
    else tr.removeAttribute('aria-current');
  });
}

/** Wires the filter form and the page buttons; `open` opens a case (and its address). */
export function setUpCaseList(open: (id: string) => void): void {
  openCase = open;
  byId<HTMLFormElement>('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  byId('next').addEventListener('click', () => {
    list.page++;
    void showPage();
  });
  byId('prev').addEventListener('click', () => {
    list.page = Math.max(0, list.page - 1);
    void showPage();
  });
}
