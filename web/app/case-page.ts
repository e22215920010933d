import type {
  CaseView,
  Ledger,
  Message,
  Page,
  Timeline,
  WorkflowDescription,
} from '../shared/api-types';
import { el } from '../shared/dom';
import { workflowDiagram } from '../shared/workflow-diagram';
import { actionsPart, evidencePart, linksPart, messagesPart } from './case-parts';
import { link, problem, say, type Screen } from './context';
import { countdown } from './queues';
import { dateTime, humanize } from './i18n';

/** Everything the case page shows, read in one go. */
export interface CaseData {
  c: CaseView;
  workflow: WorkflowDescription | null;
  timeline: Timeline;
  messages: Message[];
  ledger: Ledger | null;
}

/** The deadline the case is under, counting down every second; a closed case says its outcome. */
function deadlinePart(screen: Screen, c: CaseView): Element {
  const { w } = screen;
  const box = el('div', { id: 'deadline' });
  if (c.status === 'closed') {
    box.appendChild(el('p', { class: 'closed', text: w.closedWith(humanize(c.outcome ?? '')) }));
    if (c.closedAt)
      box.appendChild(el('p', { class: 'mute', text: dateTime(c.closedAt, screen.lang) }));
    return box;
  }
  const next = c.nextDeadline;
  if (!next) {
    box.appendChild(el('p', { class: 'mute', text: w.noDeadline }));
    return box;
  }
  const party = next.party ? (w.party[next.party] ?? next.party) : '—';
  const counter = el('strong', { id: 'countdown', 'aria-live': 'off' });
  const tick = () => {
    const t = countdown(screen, next.dueAt);
    counter.textContent = t.text;
    counter.className = t.late ? 'overdue' : '';
  };
  tick();
  const timer = window.setInterval(tick, 1000);
  screen.onLeave(() => window.clearInterval(timer));
  box.append(
    el('p', { text: w.dueOn(humanize(next.kind), party, dateTime(next.dueAt, screen.lang)) }),
    el('p', { class: 'countdown' }, [counter]),
  );
  return box;
}

function ledgerPart(screen: Screen, ledger: Ledger | null): Element {
  const { w } = screen;
  if (!ledger) return el('p', { class: 'mute', text: '—' });
  const rows = Object.entries(w.ledgerRows).map(([key, label]) =>
    el('tr', {}, [
      el('th', { scope: 'row', text: label }),
      el('td', { class: 'num', text: `${ledger[key as 'claimed']} ${ledger.currency}` }),
    ]),
  );
  const entries = ledger.entries.map((e) =>
    el('li', {
      text: `${dateTime(e.at, screen.lang)} · ${humanize(e.kind)} · ${e.amount} ${ledger.currency}${e.reference ? ` · ${e.reference}` : ''}`,
    }),
  );
  return el('div', { id: 'ledger' }, [
    el('table', { class: 'ledger' }, [el('tbody', {}, rows)]),
    entries.length ? el('ul', { class: 'mute' }, entries) : null,
  ]);
}

/** A payload as readable fields (`reason: ...`), never as markup. */
function fields(payload: unknown): Element | string {
  if (payload === null || typeof payload !== 'object')
    return payload === undefined ? '' : JSON.stringify(payload);
  const entries = Object.entries(payload as Record<string, unknown>);
  if (!entries.length) return '';
  return el(
    'dl',
    { class: 'fields' },
    entries.flatMap(([key, value]) => [
      el('dt', { text: key }),
      el('dd', { text: typeof value === 'string' ? value : JSON.stringify(value) }),
    ]),
  );
}

function timelinePart(screen: Screen, tl: Timeline): Element[] {
  const { w } = screen;
  const ok = tl.integrity?.valid === true;
  const verdict = ok
    ? w.intact
    : `${w.broken}${tl.integrity?.brokenAt ? ` (${tl.integrity.brokenAt})` : ''}`;
  const rows = tl.events.map((e) =>
    el('tr', { class: 'entry' }, [
      el('td', { 'data-label': w.col2.seq, text: e.seq }),
      el('td', { 'data-label': w.col2.at, text: dateTime(e.at, screen.lang) }),
      el('td', { 'data-label': w.col2.event, text: e.type }),
      el('td', { 'data-label': w.col2.by, text: w.party[e.actor.kind] ?? e.actor.kind }),
      el('td', {
        'data-label': w.col2.change,
        text:
          e.toState && e.toState !== e.fromState
            ? `${humanize(e.fromState ?? '∅')} → ${humanize(e.toState)}`
            : '',
      }),
      el('td', { 'data-label': w.col2.data }, [fields(e.payload)]),
    ]),
  );
  const c = w.col2;
  return [
    el('h2', {}, [
      w.timeline,
      ' ',
      el('span', {
        id: 'integrity',
        class: `integrity ${ok ? 'valid' : 'invalid'}`,
        text: verdict,
      }),
    ]),
    el('table', { class: 'cards timeline' }, [
      el('thead', {}, [
        el(
          'tr',
          {},
          [c.seq, c.at, c.event, c.by, c.change, c.data].map((h) =>
            el('th', { scope: 'col', text: h }),
          ),
        ),
      ]),
      el('tbody', {}, rows),
    ]),
  ];
}

async function read(screen: Screen, id: string): Promise<CaseData> {
  const { api } = screen;
  const [c, timeline, messages, ledger] = await Promise.all([
    api.get<CaseView>(`/v1/cases/${id}`),
    api.get<Timeline>(`/v1/cases/${id}/timeline?limit=500`),
    api.get<Page<Message>>(`/v1/cases/${id}/messages`),
    api.get<Ledger>(`/v1/cases/${id}/ledger`).catch(() => null),
  ]);
  const workflow = await api
    .get<WorkflowDescription>(`/v1/workflows/${encodeURIComponent(c.type)}`)
    .catch(() => null);
  return { c, workflow, timeline, messages: messages.items, ledger };
}

/** `/app/cases/<id>`: one case, everything the merchant does on it. */
export function casePage(screen: Screen, id: string): Element {
  const { w } = screen;
  const notice = el('p', { id: 'notice', role: 'status' });
  const body = el('div', { class: 'case-body', 'aria-busy': 'true' }, [
    el('p', { text: w.loading }),
  ]);
  const heading = el('h1', { text: w.caseTitle(id.slice(0, 8)) });
  let stopTimers: (() => void)[] = [];
  screen.onLeave(() => stopTimers.forEach((stop) => stop()));

  /** Reads the case again and redraws it; `done` is said once it is drawn. */
  async function refresh(done?: string): Promise<void> {
    try {
      const data = await read(screen, id);
      stopTimers.forEach((stop) => stop());
      stopTimers = [];
      const local: Screen = { ...screen, onLeave: (stop) => stopTimers.push(stop) };
      draw(local, data);
      if (done) {
        say(notice, done);
        // The form that was used is gone: the keyboard carries on from what it did.
        (notice as HTMLElement).tabIndex = -1;
        (notice as HTMLElement).focus();
      }
    } catch (e) {
      body.replaceChildren(el('p', { class: 'error', role: 'alert', text: w.failed(problem(e)) }));
    }
    body.setAttribute('aria-busy', 'false');
  }

  function draw(local: Screen, data: CaseData): void {
    const { c } = data;
    heading.textContent = w.caseTitle(c.order?.ref ?? c.id.slice(0, 8));
    const claim = c.claim;
    body.replaceChildren(
      el('p', { class: 'summary' }, [
        el('span', { class: 'badge', text: w.caseType(c.type) }),
        ' ',
        el('strong', { id: 'case-state', text: humanize(c.state) }),
        c.waitingOn ? ` · ${w.col.waitingOn}: ${w.party[c.waitingOn] ?? c.waitingOn}` : '',
        c.breached ? el('span', { class: 'badge bad', text: w.breached }) : null,
      ]),
      el('div', { class: 'grid' }, [
        el('section', { 'aria-labelledby': 'h-deadline' }, [
          el('h2', { id: 'h-deadline', text: w.deadline }),
          deadlinePart(local, c),
          claim
            ? el('p', {
                class: 'mute',
                text: `${w.claim}: ${claim.amount} ${claim.currency} — ${claim.items.map((i) => `${i.sku} × ${i.quantity}`).join(', ')}`,
              })
            : null,
        ]),
        el('section', { 'aria-labelledby': 'h-actions' }, [
          el('h2', { id: 'h-actions', text: w.actions }),
          actionsPart(local, data, notice, refresh),
        ]),
      ]),
      el('section', { 'aria-labelledby': 'h-workflow' }, [
        el('h2', { id: 'h-workflow', text: w.workflow }),
        data.workflow
          ? workflowDiagram(data.workflow, c.state, w.diagram)
          : el('p', { class: 'mute', text: '—' }),
      ]),
      el('div', { class: 'grid' }, [
        el('section', { 'aria-labelledby': 'h-messages' }, [
          el('h2', { id: 'h-messages', text: w.messages }),
          messagesPart(local, data, notice, refresh),
        ]),
        el('section', { 'aria-labelledby': 'h-evidence' }, [
          el('h2', { id: 'h-evidence', text: w.evidence }),
          evidencePart(local, data, notice, refresh),
        ]),
      ]),
      el('div', { class: 'grid' }, [
        el('section', { 'aria-labelledby': 'h-links' }, [
          el('h2', { id: 'h-links', text: w.links }),
          linksPart(local, c),
        ]),
        el('section', { 'aria-labelledby': 'h-ledger' }, [
          el('h2', { id: 'h-ledger', text: w.ledger }),
          ledgerPart(local, data.ledger),
        ]),
      ]),
      el('section', {}, timelinePart(local, data.timeline)),
    );
  }

  void refresh();
  return el('article', { class: 'case', 'data-case': id }, [
    link(screen, '/app', [`← ${w.back}`], { class: 'back' }),
    heading,
    notice,
    body,
  ]);
}
