import type { CaseView, Page, WorkflowSummary } from '../shared/api-types';
import { el } from '../shared/dom';
import { field, link, problem, type Screen } from './context';
import { dateTime, humanize, span } from './i18n';

/** The queues: who must act, what is due first, what is late, everything. */
const QUEUES = ['needs', 'due', 'breached', 'all'] as const;
type Queue = (typeof QUEUES)[number];

/** Each queue's filter on `GET /v1/cases` (api.md; the work queue of lost-and-disputed.md). */
const QUEUE_QUERY: Record<Queue, Record<string, string>> = {
  needs: { waitingOn: 'merchant', status: 'open' },
  due: { sort: 'dueAt', status: 'open' },
  breached: { breached: 'true' },
  all: {},
};
const FILTERS = ['type', 'status', 'orderRef'] as const;

/** The queue and filters the address holds (`/app?queue=due&type=oversize`), so a reload keeps them. */
function chosen(): { queue: Queue; filters: Record<string, string> } {
  const params = new URLSearchParams(location.search);
  const asked = params.get('queue') as Queue | null;
  const filters: Record<string, string> = {};
  for (const name of FILTERS) {
    const value = params.get(name)?.trim();
    if (value) filters[name] = value;
  }
  return { queue: asked && QUEUES.includes(asked) ? asked : 'needs', filters };
}

const address = (queue: Queue, filters: Record<string, string>) =>
  `/app?${new URLSearchParams({ queue, ...filters }).toString()}`;

/** A countdown's words: `reste 3 h 2 min`, `en retard de 1 j 2 h`. */
export function countdown(
  screen: Screen,
  dueAt: string,
  now = Date.now(),
): { text: string; late: boolean } {
  const ms = new Date(dueAt).getTime() - now;
  return ms >= 0
    ? { text: screen.w.left(span(ms, screen.lang)), late: false }
    : { text: screen.w.late(span(ms, screen.lang)), late: true };
}

function row(screen: Screen, c: CaseView): Element {
  const { w } = screen;
  const next = c.nextDeadline;
  const due = next ? countdown(screen, next.dueAt) : null;
  const cell = (label: string, children: (Node | string | null)[]) =>
    el('td', { 'data-label': label }, children);
  return el('tr', { 'data-case': c.id }, [
    cell(w.col.order, [
      link(screen, `/app/cases/${c.id}`, [c.order?.ref ?? c.id.slice(0, 8)], {
        class: 'case-link',
      }),
    ]),
    cell(w.col.type, [w.caseType(c.type)]),
    cell(w.col.state, [
      humanize(c.state),
      c.status === 'closed' ? el('span', { class: 'badge', text: ` ${w.closed}` }) : null,
      c.breached ? el('span', { class: 'badge bad', text: w.breached }) : null,
    ]),
    cell(w.col.waitingOn, [c.waitingOn ? (w.party[c.waitingOn] ?? c.waitingOn) : '']),
    cell(w.col.deadline, [
      due && next
        ? el('span', {
            class: due.late ? 'overdue' : null,
            title: dateTime(next.dueAt, screen.lang),
            text: `${humanize(next.kind)} · ${due.text}`,
          })
        : '',
    ]),
    cell(w.col.opened, [dateTime(c.createdAt, screen.lang)]),
  ]);
}

/** `/app`: the queues, their filters and the search by order ref. */
export function queuesPage(screen: Screen): Element {
  const { w, api } = screen;
  const { queue, filters } = chosen();
  const tbody = el('tbody');
  const error = el('p', { class: 'error', role: 'alert' });
  const more = el('button', { type: 'button', hidden: true, text: w.more }) as HTMLButtonElement;
  let cursor: string | null = null;

  const typeSelect = el('select', { name: 'type' }, [el('option', { value: '', text: w.any })]);
  api
    .get<Page<WorkflowSummary>>('/v1/workflows')
    .then((body) => {
      for (const wf of body.items)
        typeSelect.appendChild(
          el('option', {
            value: wf.type,
            text: w.caseType(wf.type),
            selected: filters.type === wf.type,
          }),
        );
    })
    .catch(() => undefined); // the filter keeps "any"; the list says what went wrong
  const statusSelect = el('select', { name: 'status' }, [
    el('option', { value: '', text: w.any }),
    el('option', { value: 'open', text: w.open, selected: filters.status === 'open' }),
    el('option', { value: 'closed', text: w.closed, selected: filters.status === 'closed' }),
  ]);
  const form = el('form', { class: 'filters', role: 'search', 'aria-label': w.filters }, [
    field(w.type, typeSelect),
    field(w.status, statusSelect),
    field(
      w.orderRef,
      el('input', { name: 'orderRef', type: 'search', value: filters.orderRef ?? '' }),
    ),
    el('button', { type: 'submit', text: w.search }),
  ]) as HTMLFormElement;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    new FormData(form).forEach((value, name) => {
      if (typeof value === 'string' && value.trim()) next[name] = value.trim();
    });
    screen.go(address(queue, next));
  });

  async function load(): Promise<void> {
    const params = new URLSearchParams({ ...filters, ...QUEUE_QUERY[queue], limit: '25' });
    // A status chosen in the filters wins over the queue's own (the breached queue, all).
    if (filters.status && queue !== 'needs' && queue !== 'due')
      params.set('status', filters.status);
    if (cursor) params.set('cursor', cursor);
    error.textContent = '';
    try {
      const page = await api.get<Page<CaseView>>(`/v1/cases?${params.toString()}`);
      for (const c of page.items) tbody.appendChild(row(screen, c));
      if (!tbody.children.length)
        tbody.appendChild(el('tr', {}, [el('td', { colspan: 6, class: 'mute', text: w.noCase })]));
      cursor = page.nextCursor ?? null;
      more.hidden = !cursor;
    } catch (e) {
      error.textContent = w.failed(problem(e));
    }
  }
  more.addEventListener('click', () => void load());
  void load();

  const tabs = el(
    'ul',
    { class: 'tabs' },
    QUEUES.map((q) =>
      el('li', {}, [
        link(screen, address(q, filters), [w.queue[q]], {
          'aria-current': q === queue ? 'page' : null,
          'data-queue': q,
        }),
      ]),
    ),
  );
  const headers = [
    w.col.order,
    w.col.type,
    w.col.state,
    w.col.waitingOn,
    w.col.deadline,
    w.col.opened,
  ];
  return el('section', { class: 'queues' }, [
    el('h1', { text: w.queues }),
    el('nav', { 'aria-label': w.queues }, [tabs]),
    form,
    error,
    el('table', { id: 'cases', class: 'cards' }, [
      el('caption', { class: 'sr-only', text: w.queue[queue] }),
      el('thead', {}, [
        el(
          'tr',
          {},
          headers.map((h) => el('th', { scope: 'col', text: h })),
        ),
      ]),
      tbody,
    ]),
    more,
  ]);
}
