/**
 * The ops page (`/ops`, api.md "Operations"): sign in with an ops key, filter every merchant's
 * cases, open one to see its workflow, deadlines, evidence, notifications and hash-chained
 * timeline. It only reads the `/v1` API; the key stays in this tab's sessionStorage.
 */
import { Api } from '../shared/api';
import type {
  CaseView,
  Notification,
  Page,
  Timeline,
  WorkflowDescription,
  WorkflowSummary,
} from '../shared/api-types';
import { byId, el, one } from '../shared/dom';
import { when } from '../shared/format';
import { caseDetail, statusText } from './case-view';

const KEY = 'redress.opsKey';
const NO_CASE = '00000000-0000-0000-0000-000000000000';

const api = new Api({
  key: () => sessionStorage.getItem(KEY),
  onUnauthorized: () => signOut('The key was refused (401)'),
});
const list = { cursor: null as string | null, query: '' };
const workflows = new Map<string, Promise<WorkflowDescription>>();

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function signOut(reason: string): void {
  sessionStorage.removeItem(KEY);
  byId('app').hidden = true;
  byId('logout').hidden = true;
  byId('login').hidden = false;
  byId('who').textContent = '';
  byId('login-error').textContent = reason;
}

async function signIn(key: string): Promise<void> {
  sessionStorage.setItem(KEY, key);
  try {
    await api.get('/v1/workflows');
    // Any key reads workflows; only an ops key may read every merchant's audit trail.
    const status = await api.status(`/v1/audit/events?caseId=${NO_CASE}`);
    if (status === 403) signOut('This is not an ops key (403)');
    else signedIn();
  } catch (error) {
    signOut(message(error));
  }
}

function signedIn(): void {
  byId('login').hidden = true;
  byId('app').hidden = false;
  byId('logout').hidden = false;
  byId('who').textContent = `ops key ${(sessionStorage.getItem(KEY) ?? '').slice(0, 10)}…`;
  api
    .get<Page<WorkflowSummary>>('/v1/workflows')
    .then((body) => {
      const select = one<HTMLSelectElement>('#filters select[name=type]');
      for (const w of body.items ?? [])
        select.appendChild(el('option', { value: w.type, text: w.type }));
    })
    .catch(() => undefined); // the type filter keeps "any"; the list says what went wrong
  search();
}

function search(): void {
  const params = new URLSearchParams();
  new FormData(byId<HTMLFormElement>('filters')).forEach((value, name) => {
    const text = typeof value === 'string' ? value.trim() : '';
    if (text) params.set(name, text);
  });
  params.set('limit', '50');
  list.query = params.toString();
  list.cursor = null;
  one('#cases tbody').textContent = '';
  void nextPage();
}

async function nextPage(): Promise<void> {
  const cursor = list.cursor ? `&cursor=${encodeURIComponent(list.cursor)}` : '';
  byId('list-error').textContent = '';
  try {
    const body = await api.get<Page<CaseView>>(`/v1/cases?${list.query}${cursor}`);
    const tbody = one('#cases tbody');
    for (const c of body.items) tbody.appendChild(caseRow(c));
    if (!body.items.length && !list.cursor) {
      tbody.appendChild(
        el('tr', {}, [el('td', { colspan: 7, class: 'mute', text: 'No case matches.' })]),
      );
    }
    list.cursor = body.nextCursor ?? null;
    byId('more').hidden = !body.nextCursor;
  } catch (error) {
    byId('list-error').textContent = message(error);
  }
}

function caseRow(c: CaseView): Element {
  return el('tr', { 'data-case': c.id, onclick: () => void openCase(c.id) }, [
    el('td', {}, [el('code', { text: c.id.slice(0, 8) })]),
    el('td', { text: c.type }),
    el('td', { text: c.state }),
    el('td', { text: statusText(c) }),
    el('td', {}, [c.breached ? el('span', { class: 'badge bad', text: 'breached' }) : null]),
    el('td', { text: when(c.createdAt) }),
    el('td', { text: when(c.updatedAt) }),
  ]);
}

/** A workflow's description, fetched once per type (a failed fetch is tried again next time). */
function workflow(type: string): Promise<WorkflowDescription> {
  let found = workflows.get(type);
  if (!found) {
    found = api.get<WorkflowDescription>(`/v1/workflows/${encodeURIComponent(type)}`);
    found.catch(() => workflows.delete(type));
    workflows.set(type, found);
  }
  return found;
}

async function openCase(id: string): Promise<void> {
  document.querySelectorAll('#cases tbody tr').forEach((tr) => {
    tr.classList.toggle('selected', tr.getAttribute('data-case') === id);
  });
  const box = byId('case');
  box.hidden = false;
  box.textContent = 'Loading…';
  try {
    const [c, timeline, notifications] = await Promise.all([
      api.get<CaseView>(`/v1/cases/${id}`),
      api.get<Timeline>(`/v1/cases/${id}/timeline`),
      api.get<Page<Notification>>(`/v1/cases/${id}/notifications`),
    ]);
    const wf = await workflow(c.type).catch(() => null);
    box.replaceChildren(...caseDetail({ case: c, timeline, notifications, workflow: wf }));
  } catch (error) {
    box.replaceChildren(el('p', { class: 'error', text: message(error) }));
  }
}

document.addEventListener('DOMContentLoaded', () => {
  byId<HTMLFormElement>('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId<HTMLInputElement>('key');
    const key = input.value.trim();
    input.value = '';
    void signIn(key);
  });
  byId('logout').addEventListener('click', () => signOut(''));
  byId<HTMLFormElement>('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  byId('more').addEventListener('click', () => void nextPage());
  if (sessionStorage.getItem(KEY)) signedIn();
  else signOut('');
});
