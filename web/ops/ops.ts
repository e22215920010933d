/**
 * The ops console (`/ops`, api.md "Operations"): sign in with an ops key, find cases (filters,
 * order ref, case id), open one at its own address (`/ops/cases/<id>`, which survives a reload)
 * to see its workflow, deadlines, evidence, notifications and hash-chained timeline and to act on
 * it; manage merchants' and suppliers' API keys. The key stays in this tab's sessionStorage.
 */
import type { Notification, Page, Timeline, WorkflowSummary } from '../shared/api-types';
import { byId, el, one } from '../shared/dom';
import { loadPartyFilters, markSelected, search, setUpCaseList } from './case-list';
import { caseDetail } from './case-view';
import { setUpKeys, showKeys } from './keys';
import { api, errorText, KEY, onUnauthorized } from './ops-api';
import type { DeadlineRow, OpsCase, OpsWorkflow } from './ops-types';

const NO_CASE = '00000000-0000-0000-0000-000000000000';
const CASE_PATH = /^\/ops\/cases\/([0-9a-f-]{36})\/?$/i;

const workflows = new Map<string, Promise<OpsWorkflow>>();

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
    signOut(errorText(error));
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
  loadPartyFilters().catch((e: unknown) => (byId('list-error').textContent = errorText(e)));
  search();
  route();
}

/** A workflow's description, fetched once per type (a failed fetch is tried again next time). */
function workflow(type: string): Promise<OpsWorkflow> {
  let found = workflows.get(type);
  if (!found) {
    found = api.get<OpsWorkflow>(`/v1/workflows/${encodeURIComponent(type)}`);
    found.catch(() => workflows.delete(type));
    workflows.set(type, found);
  }
  return found;
}

/** The whole timeline, page after page (an answer holds at most 1,000 entries). */
async function wholeTimeline(id: string): Promise<Timeline> {
  const path = `/v1/cases/${id}/timeline?limit=1000`;
  let page = await api.get<Timeline & { nextAfter?: number | null }>(path);
  const events = [...(page.events ?? [])];
  while (page.nextAfter) {
    page = await api.get(`${path}&after=${page.nextAfter}`);
    events.push(...(page.events ?? []));
  }
  return { ...page, events };
}

/** Shows a case; `focus` moves the keyboard to its title (after a click, not on a reload). */
async function showCase(id: string, focus: boolean): Promise<void> {
  markSelected(id);
  byId('cases-view').classList.add('case-open');
  const box = byId('case');
  box.hidden = false;
  box.setAttribute('aria-busy', 'true');
  try {
    const [c, timeline, notifications, deadlines] = await Promise.all([
      api.get<OpsCase>(`/v1/cases/${id}`),
      wholeTimeline(id),
      api.get<Page<Notification>>(`/v1/cases/${id}/notifications`),
      api.get<{ items: DeadlineRow[] }>(`/v1/cases/${id}/deadlines`).then(
        (body) => body.items,
        () => null,
      ),
    ]);
    const wf = await workflow(c.type).catch(() => null);
    const detail = { case: c, timeline, notifications, deadlines, workflow: wf };
    box.replaceChildren(
      el('p', {}, [el('a', { href: '/ops', id: 'back', text: '← All cases' })]),
      ...caseDetail(detail, () => void showCase(id, false).then(() => byId('case-title').focus())),
    );
    byId('back').addEventListener('click', (event) => {
      event.preventDefault();
      closeCase(true);
    });
    if (focus) byId('case-title').focus();
  } catch (error) {
    box.replaceChildren(el('p', { class: 'error', role: 'alert', text: errorText(error) }));
  } finally {
    box.removeAttribute('aria-busy');
  }
}

function closeCase(push: boolean): void {
  if (push) history.pushState(null, '', '/ops');
  markSelected(null);
  byId('cases-view').classList.remove('case-open');
  byId('case').hidden = true;
  byId('case').textContent = '';
}

/** Opens a case at its own address, so that a reload or a shared link opens it again. */
function openCase(id: string): void {
  showTab('cases');
  if (location.pathname !== `/ops/cases/${id}`) history.pushState(null, '', `/ops/cases/${id}`);
  void showCase(id, true);
}

/** What the address says: a case, or the list. */
function route(): void {
  const match = CASE_PATH.exec(location.pathname);
  if (match) void showCase(match[1].toLowerCase(), false);
  else closeCase(false);
}

function showTab(tab: 'cases' | 'keys'): void {
  byId('cases-view').hidden = tab !== 'cases';
  byId('keys').hidden = tab !== 'keys';
  for (const button of document.querySelectorAll('#tabs button')) {
    button.setAttribute('aria-pressed', String(button.getAttribute('data-tab') === tab));
  }
  if (tab === 'keys') showKeys();
}

document.addEventListener('DOMContentLoaded', () => {
  onUnauthorized(signOut);
  byId<HTMLFormElement>('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId<HTMLInputElement>('key');
    const key = input.value.trim();
    input.value = '';
    void signIn(key);
  });
  byId('logout').addEventListener('click', () => signOut(''));
  for (const button of document.querySelectorAll('#tabs button')) {
    button.addEventListener('click', () =>
      showTab(button.getAttribute('data-tab') === 'keys' ? 'keys' : 'cases'),
    );
  }
  setUpCaseList(openCase);
  setUpKeys();
  window.addEventListener('popstate', () => {
    showTab('cases');
    route();
  });
  if (sessionStorage.getItem(KEY)) signedIn();
  else signOut('');
});
