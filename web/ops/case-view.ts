import type { Evidence, Notification, Page, Timeline } from '../shared/api-types';
import { el, table } from '../shared/dom';
import { timeLeft, when } from '../shared/format';
import { caseActions } from './case-actions';
import { nameInto } from './names';
import type { DeadlineRow, OpsCase, OpsWorkflow } from './ops-types';
import { payloadView } from './payload-view';
import { workflowDiagram } from './workflow-diagram';

export interface CaseDetail {
  case: OpsCase;
  timeline: Timeline;
  notifications: Page<Notification>;
  /** Every deadline, past and cancelled ones included; null when they could not be read. */
  deadlines: DeadlineRow[] | null;
  /** Null when the workflow could not be read: the rest still shows. */
  workflow: OpsWorkflow | null;
}

/** `open`, `closed (refunded)`... */
export const statusText = (c: OpsCase) => c.status + (c.outcome ? ` (${c.outcome})` : '');

/**
 * A table in a box of its own that scrolls sideways on a narrow screen, not the page; the box
 * takes the keyboard's focus so that it can be scrolled without a mouse.
 */
export const scroll = (label: string, node: Element) =>
  el('div', { class: 'scroll', tabindex: 0, role: 'region', 'aria-label': label }, [node]);

function deadlineState(d: DeadlineRow, now: number): { text: string; cls: string | null } {
  if (d.status === 'cancelled') return { text: `cancelled ${when(d.cancelledAt)}`, cls: 'mute' };
  if (d.status === 'fired') return { text: `fired ${when(d.firedAt)}`, cls: null };
  const t = timeLeft(d.dueAt, null, now);
  return { text: t.text, cls: t.late ? 'overdue' : null };
}

function deadlines(c: OpsCase, rows: DeadlineRow[] | null, now: number): Element[] {
  const closed =
    c.status === 'closed'
      ? el('p', {
          id: 'closed-note',
          text: `Closed${c.outcome ? ` (${c.outcome})` : ''}${c.closedAt ? ` ${when(c.closedAt)}` : ''}: no deadline runs.`,
        })
      : null;
  if (rows === null)
    return [closed, el('p', { class: 'error', text: 'Deadlines could not be read.' })].filter(
      Boolean,
    ) as Element[];
  if (!rows.length) return [closed ?? el('p', { class: 'mute', text: 'No deadline set yet.' })];
  return [
    ...(closed ? [closed] : []),
    scroll(
      'Deadlines',
      table(
        ['Kind', 'Due', 'State', 'Set', 'Breach'],
        rows.map((d) => {
          const state = deadlineState(d, now);
          return el('tr', { class: `deadline ${d.status}` }, [
            el('td', { text: d.kind }),
            el('td', { text: when(d.dueAt) }),
            el('td', { class: state.cls, text: state.text }),
            el('td', { text: when(d.setAt) }),
            el('td', {}, [d.breached ? el('span', { class: 'badge bad', text: 'missed' }) : null]),
          ]);
        }),
      ),
    ),
  ];
}

function evidence(items: Evidence[]): Element {
  if (!items.length) return el('p', { class: 'mute', text: 'No evidence.' });
  return el(
    'ul',
    {},
    items.map((e) => {
      // Only https links are clickable; anything else shows as text.
      const safe = e.url !== null && /^https:\/\//i.test(e.url);
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
  return scroll(
    'Notifications',
    table(
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
    ),
  );
}

function actor(a: { kind: string; id?: string | null }): Element {
  if ((a.kind === 'merchant' || a.kind === 'supplier') && a.id) {
    return el('span', {}, [`${a.kind} `, nameInto(el('span', { class: 'party' }), a.kind, a.id)]);
  }
  return el('span', { text: a.kind + (a.id ? ` ${a.id.slice(0, 8)}` : '') });
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
    el(
      'ol',
      { class: 'timeline', id: 'timeline' },
      (tl.events ?? []).map((e) =>
        el('li', { class: 'entry', 'data-type': e.type }, [
          el('div', { class: 'entry-head' }, [
            el('span', { class: 'seq', text: `#${e.seq}` }),
            el('strong', { class: 'type', text: e.type }),
            el('span', { class: 'mute', text: when(e.at) }),
            actor(e.actor),
            e.fromState !== e.toState
              ? el('span', { class: 'mute', text: `${e.fromState ?? '∅'} → ${e.toState ?? '∅'}` })
              : null,
          ]),
          payloadView(e.payload),
        ]),
      ),
    ),
    el('p', { class: 'mute' }, [
      'Chain head ',
      el('code', { class: 'hash', text: integrity.head ?? '' }),
    ]),
  ];
}

/**
 * The case's whole picture: state and parties, the actions ops may take, the workflow diagram,
 * every deadline, evidence, notifications, the timeline. `changed` reloads it after an action.
 */
export function caseDetail(detail: CaseDetail, changed: () => void, now = Date.now()): Element[] {
  const c = detail.case;
  return [
    el('h2', { id: 'case-title', tabindex: -1 }, ['Case ', el('code', { text: c.id })]),
    el('p', {}, [
      el('span', { class: 'badge', text: c.type }),
      ' ',
      el('strong', { id: 'case-state', text: c.state }),
      ' · ',
      el('span', { id: 'case-status', text: statusText(c) }),
      ` · version ${c.version} · liability `,
      el('span', { id: 'case-liability', text: c.liability }),
      ' · ',
      c.breached
        ? el('span', { class: 'badge bad', text: 'breached' })
        : el('span', { class: 'badge ok', text: 'no breach' }),
    ]),
    el('dl', { class: 'facts' }, [
      el('dt', { text: 'Merchant' }),
      el('dd', {}, [nameInto(el('span', { id: 'case-merchant' }), 'merchant', c.merchantId)]),
      el('dt', { text: 'Supplier' }),
      el('dd', {}, [nameInto(el('span', { id: 'case-supplier' }), 'supplier', c.supplierId)]),
      el('dt', { text: 'Order' }),
      el('dd', { id: 'case-order', text: c.order?.ref ?? '—' }),
      el('dt', { text: 'Waiting on' }),
      el('dd', { text: c.waitingOn ?? '—' }),
      el('dt', { text: 'Opened' }),
      el('dd', { text: when(c.createdAt) }),
    ]),
    el('h3', { text: 'Actions' }),
    caseActions(c, detail.workflow, changed),
    ...(detail.workflow
      ? [el('h3', { text: 'Workflow' }), workflowDiagram(detail.workflow, c.state)]
      : []),
    el('h3', { text: 'Deadlines' }),
    el('div', { id: 'deadlines' }, deadlines(c, detail.deadlines, now)),
    el('h3', { text: 'Evidence' }),
    evidence(c.evidence),
    el('h3', { text: 'Notifications' }),
    notifications(detail.notifications),
    ...timeline(detail.timeline),
  ];
}
