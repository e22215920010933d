import type {
  CaseView,
  Notification,
  Page,
  Timeline,
  WorkflowDescription,
} from '../shared/api-types';
import { el, table } from '../shared/dom';
import { timeLeft, when } from '../shared/format';
import { workflowDiagram } from './workflow-diagram';

export interface CaseDetail {
  case: CaseView;
  timeline: Timeline;
  notifications: Page<Notification>;
  /** Null when the workflow could not be read: the rest still shows. */
  workflow: WorkflowDescription | null;
}

/** `open`, `closed (refunded)`... */
export const statusText = (c: CaseView) => c.status + (c.outcome ? ` (${c.outcome})` : '');

function deadlines(c: CaseView, now: number): Element {
  if (!c.deadlines.length) return el('p', { class: 'mute', text: 'No deadline.' });
  return table(
    ['Kind', 'Due', 'Time', 'Breach'],
    c.deadlines.map((d) => {
      const t = timeLeft(d.dueAt, d.firedAt, now);
      return el('tr', {}, [
        el('td', { text: d.kind }),
        el('td', { text: when(d.dueAt) }),
        el('td', { class: t.late ? 'overdue' : null, text: t.text }),
        el('td', {}, [d.breached ? el('span', { class: 'badge bad', text: 'missed' }) : null]),
      ]);
    }),
  );
}

function evidence(c: CaseView): Element {
  if (!c.evidence.length) return el('p', { class: 'mute', text: 'No evidence.' });
  return el(
    'ul',
    {},
    c.evidence.map((e) => {
      // Only https links are clickable; anything else shows as text.
      const safe = /^https:\/\//i.test(e.url);
      return el('li', {}, [
        el('span', { class: 'badge', text: e.kind }),
        ' ',
        safe
          ? el('a', { href: e.url, target: '_blank', rel: 'noopener noreferrer', text: e.url })
          : el('code', { text: e.url }),
        e.description ? ` — ${e.description}` : '',
        el('span', { class: 'mute', text: ` ${when(e.createdAt)}` }),
      ]);
    }),
  );
}

function notifications(page: Page<Notification>): Element {
  const items = page.items ?? [];
  if (!items.length) return el('p', { class: 'mute', text: 'No notification.' });
  return table(
    ['Type', 'Party', 'State', 'Attempts', 'Created', 'Delivered / next', 'Last error'],
    items.map((n) => {
      const cls =
        n.state === 'delivered' ? 'badge ok' : n.state === 'failed' ? 'badge bad' : 'badge';
      return el('tr', {}, [
        el('td', { text: n.type }),
        el('td', { text: n.party }),
        el('td', {}, [el('span', { class: cls, text: n.state })]),
        el('td', { text: n.attempts }),
        el('td', { text: when(n.createdAt) }),
        el('td', { text: when(n.deliveredAt ?? n.nextAttemptAt) }),
        el('td', { text: n.lastError ?? '' }),
      ]);
    }),
  );
}

function timeline(tl: Timeline): Element[] {
  const integrity = tl.integrity ?? { valid: false, head: null };
  const verdict = integrity.valid
    ? '✔ hash chain intact'
    : '✘ hash chain broken' +
      (integrity.brokenAt ? ` at seq ${integrity.brokenAt}` : '') +
      (integrity.problem ? `: ${integrity.problem}` : '');
  return [
    el('h3', {}, [
      'Timeline ',
      el('span', {
        id: 'integrity',
        class: `integrity ${integrity.valid ? 'valid' : 'invalid'}`,
        title: `head ${integrity.head ?? ''}`,
        text: verdict,
      }),
    ]),
    table(
      ['Seq', 'At', 'Type', 'Actor', 'From → to', 'Payload'],
      (tl.events ?? []).map((e) =>
        el('tr', { class: 'entry' }, [
          el('td', { text: e.seq }),
          el('td', { text: when(e.at) }),
          el('td', { text: e.type }),
          el('td', { text: e.actor.kind + (e.actor.id ? ` ${e.actor.id.slice(0, 8)}` : '') }),
          el('td', { text: `${e.fromState ?? '∅'} → ${e.toState ?? '∅'}` }),
          el('td', {}, [el('pre', { text: JSON.stringify(e.payload) })]),
        ]),
      ),
    ),
    el('p', { class: 'mute' }, ['Chain head ', el('code', { text: integrity.head ?? '' })]),
  ];
}

/** The case's whole picture: state, workflow diagram, deadlines, evidence, notifications, timeline. */
export function caseDetail(detail: CaseDetail, now: number = Date.now()): Element[] {
  const c = detail.case;
  return [
    el('h2', {}, ['Case ', el('code', { text: c.id })]),
    el('p', {}, [
      el('span', { class: 'badge', text: c.type }),
      ' ',
      el('strong', { id: 'case-state', text: c.state }),
      ' · ',
      `${statusText(c)} · version ${c.version} · `,
      c.breached
        ? el('span', { class: 'badge bad', text: 'breached' })
        : el('span', { class: 'badge ok', text: 'no breach' }),
    ]),
    el('p', {
      class: 'mute',
      text:
        `merchant ${c.merchantId} · supplier ${c.supplierId} · ` +
        `order ${c.order?.ref ?? ''} · opened ${when(c.createdAt)}`,
    }),
    ...(detail.workflow
      ? [el('h3', { text: 'Workflow' }), workflowDiagram(detail.workflow, c.state)]
      : []),
    el('h3', { text: 'Deadlines' }),
    deadlines(c, now),
    el('h3', { text: 'Evidence' }),
    evidence(c),
    el('h3', { text: 'Notifications' }),
    notifications(detail.notifications),
    ...timeline(detail.timeline),
  ];
}
