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
import { evidencePart, linksPart, messagesPart } from './case-parts';
import { actionsPart } from './event-forms';
import { coded, link, problem, say, type Screen } from './context';
import { countdown } from './queues';
import { dateTime } from './i18n';

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
    const outcome = c.outcome ?? '';
    box.appendChild(
      el('p', { class: 'closed', title: outcome, 'data-code': outcome }, [
        w.closedWith(w.label('outcome', outcome)),
      ]),
    );
    if (c.closedAt)
      box.appendChild(el('p', { class: 'mute', text: dateTime(c.closedAt, screen.lang) }));
    return box;
  }
  const next = c.nextDeadline;
  if (!next) {
    box.appendChild(el('p', { class: 'mute', text: w.noDeadline }));
    return box;
  }
  const party = next.party ? w.label('party', next.party) : '—';
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
    el('p', {
      title: `${next.kind}${next.party ? ` (${next.party})` : ''}`,
      'data-code': next.kind,
      text: w.dueOn(w.label('deadline', next.kind), party, dateTime(next.dueAt, screen.lang)),
    }),
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
      text: `${dateTime(e.at, screen.lang)} · ${w.label('ledger', e.kind)} · ${e.amount} ${ledger.currency}${e.reference ? ` · ${e.reference}` : ''}`,
    }),
  );
  return el('div', { id: 'ledger' }, [
    el('table', { class: 'ledger' }, [el('tbody', {}, rows)]),
    entries.length ? el('ul', { class: 'mute' }, entries) : null,
  ]);
}

/** A payload value in words: codes it names (a case type, a timer kind...) by their labels. */
function valueText(
  screen: Screen,
  c: CaseView,
  entryType: string,
  key: string,
  value: unknown,
): string {
  const { w } = screen;
  if (typeof value === 'string') {
    if (key === 'supplierId' && value === c.supplierId && c.supplierName) return c.supplierName;
    if (key === 'caseType') return w.caseType(value);
    if (key === 'preferredResolution' || key === 'resolution')
      return value === 'refund' ? w.refund : value === 'reship' ? w.reship : value;
    if (key === 'kind')
      return entryType === 'TIMER_FIRED' ? w.label('deadline', value) : (w.kinds[value] ?? value);
    if (key === 'dueAt') return dateTime(value, screen.lang);
    return value;
  }
  if (key === 'items' && Array.isArray(value))
    return value
      .map((i: { sku?: string; quantity?: number }) => `${i.sku} × ${i.quantity}`)
      .join(', ');
  if (typeof value === 'boolean') return value ? '✔' : '✘';
  return JSON.stringify(value);
}

/** A payload as readable fields (`Motif : ...`), never as markup; each key kept in a tooltip. */
function fields(
  screen: Screen,
  c: CaseView,
  entryType: string,
  payload: unknown,
): Element | string {
  if (payload === null || typeof payload !== 'object')
    return payload === undefined ? '' : JSON.stringify(payload);
  const entries = Object.entries(payload as Record<string, unknown>);
  if (!entries.length) return '';
  return el(
    'dl',
    { class: 'fields' },
    entries.flatMap(([key, value]) => [
      el('dt', { title: key, text: screen.w.fields[key] ?? key }),
      el('dd', {
        title: typeof value === 'string' ? value : null,
        text: valueText(screen, c, entryType, key, value),
      }),
    ]),
  );
}

function timelinePart(screen: Screen, c: CaseView, tl: Timeline): Element[] {
  const { w } = screen;
  const ok = tl.integrity?.valid === true;
  const verdict = ok
    ? w.intact
    : `${w.broken}${tl.integrity?.brokenAt ? ` (${tl.integrity.brokenAt})` : ''}`;
  const rows = tl.events.map((e) =>
    el('tr', { class: 'entry' }, [
      el('td', { 'data-label': w.col2.seq, text: e.seq }),
      el('td', { 'data-label': w.col2.at, text: dateTime(e.at, screen.lang) }),
      el('td', { 'data-label': w.col2.event }, [coded(screen, 'entry', e.type)]),
      el('td', { 'data-label': w.col2.by }, [coded(screen, 'party', e.actor.kind)]),
      el(
        'td',
        { 'data-label': w.col2.change },
        e.toState && e.toState !== e.fromState
          ? [
              e.fromState ? coded(screen, 'state', e.fromState) : '∅',
              ' → ',
              coded(screen, 'state', e.toState),
            ]
          : [],
      ),
      el('td', { 'data-label': w.col2.data }, [fields(screen, c, e.type, e.payload)]),
    ]),
  );
  const col = w.col2;
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
          [col.seq, col.at, col.event, col.by, col.change, col.data].map((h) =>
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
        coded(screen, 'caseType', c.type, { class: 'badge' }),
        ' ',
        el('strong', { id: 'case-state', title: c.state, 'data-code': c.state }, [
          w.label('state', c.state),
        ]),
        ` · ${w.supplier}${w.colon}`,
        el('span', {
          id: 'case-supplier',
          title: c.supplierId,
          'data-code': c.supplierId,
          text: c.supplierName ?? c.supplierId.slice(0, 8),
        }),
        c.waitingOn ? ` · ${w.col.waitingOn}${w.colon}` : '',
        c.waitingOn ? coded(screen, 'party', c.waitingOn) : null,
        c.breached ? el('span', { class: 'badge bad', text: w.breached }) : null,
      ]),
      el('div', { class: 'grid' }, [
        el('section', { 'aria-labelledby': 'h-deadline' }, [
          el('h2', { id: 'h-deadline', text: w.deadline }),
          deadlinePart(local, c),
          claim
            ? el('p', {
                class: 'mute',
                text: `${w.claim}${w.colon}${claim.amount} ${claim.currency} — ${claim.items.map((i) => `${i.sku} × ${i.quantity}`).join(', ')}`,
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
      el('section', {}, timelinePart(local, c, data.timeline)),
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
