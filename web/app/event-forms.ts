/**
 * The case page's actions: one form per event the merchant may send now (`allowedEvents`), and
 * one per supplier outcome it may record on the supplier's behalf (`relayableEvents`, with the
 * evidence that proves it), each with the payload fields its event takes (GET /v1/workflows/:type
 * `payloads`).
 */
import type { CaseView } from '../shared/api-types';
import { el } from '../shared/dom';
import type { CaseData } from './case-page';
import type { Refresh } from './case-parts';
import { field, problem, say, type Screen } from './context';
import { eventName } from './i18n';
import { itemPicker } from './item-picker';

/** Events with a part of their own on the page (the thread) are not repeated as actions. */
const OWN_PART = new Set(['MESSAGE']);
/**
 * Fields asked by a part of their own (a refund's `items`, picked from the case's lines) or set by
 * the form itself (a relayed outcome is always `onBehalfOfSupplier`).
 */
const NOT_ASKED = new Set(['items', 'onBehalfOfSupplier']);
const LONG_TEXT = new Set(['text', 'reason']);
const CHOICES: Record<string, string[]> = { resolution: ['refund', 'reship'] };

/** The control of one payload field, by its name (the API's payload shapes, workflow.events.ts). */
function control(screen: Screen, name: string, required: boolean, c: CaseView): HTMLElement {
  const { w } = screen;
  if (name === 'proofEvidenceId')
    return el('select', { name, required }, [
      el('option', { value: '', text: '—' }),
      ...c.evidence.map((e) =>
        el('option', {
          value: e.id,
          text: `${w.kinds[e.kind] ?? e.kind} ${e.description ?? e.id.slice(0, 8)}`,
        }),
      ),
    ]) as HTMLElement;
  if (CHOICES[name])
    return el(
      'select',
      { name, required },
      CHOICES[name].map((v) =>
        el('option', { value: v, text: v === 'refund' ? w.refund : v === 'reship' ? w.reship : v }),
      ),
    ) as HTMLElement;
  if (LONG_TEXT.has(name))
    return el('textarea', { name, rows: 2, required, maxlength: 10000 }) as HTMLElement;
  const value = name === 'currency' ? (c.claim?.currency ?? c.order?.total?.currency ?? '') : '';
  return el('input', {
    name,
    required,
    value,
    inputmode: name === 'amount' ? 'decimal' : null,
    autocomplete: 'off',
  }) as HTMLElement;
}

/** One event's form: its payload fields, the lines it names if it takes `items`, its button. */
function eventForm(
  screen: Screen,
  data: CaseData,
  event: string,
  relay: boolean,
  notice: Element,
  refresh: Refresh,
): HTMLFormElement {
  const { w, api } = screen;
  const { c } = data;
  const shape = data.workflow?.payloads?.[event] ?? { required: [], optional: [] };
  const proof = relay ? ['proofEvidenceId'] : [];
  const names = [
    ...[...shape.required, ...proof].map((n) => ({ n, required: true })),
    ...shape.optional.filter((n) => !proof.includes(n)).map((n) => ({ n, required: false })),
    // The proof of an outcome matters only when it is recorded for the supplier.
  ].filter(({ n }) => !NOT_ASKED.has(n) && (relay || n !== 'proofEvidenceId'));
  const takesItems = [...shape.required, ...shape.optional].includes('items');
  let form: HTMLFormElement | null = null;
  const amount = () => (form?.elements.namedItem('amount') as HTMLInputElement | null) ?? null;
  const picker = takesItems ? itemPicker(screen, c, event, amount) : null;
  const label = relay ? w.relayed(eventName(w, event)) : eventName(w, event);
  form = el('form', { class: 'event', 'data-event': event, 'data-relay': relay ? 'true' : null }, [
    ...names.map(({ n, required }) =>
      field(
        required ? `${w.fields[n] ?? n} (${w.required})` : (w.fields[n] ?? n),
        control(screen, n, required, c),
      ),
    ),
    picker?.element ?? null,
    el('button', { type: 'submit', 'data-event': event, text: label }),
  ]) as HTMLFormElement;
  const submitted = form;
  picker?.follow();
  submitted.addEventListener('submit', (submit) => {
    submit.preventDefault();
    const payload: Record<string, unknown> = relay ? { onBehalfOfSupplier: true } : {};
    for (const { n } of names) {
      const input = submitted.elements.namedItem(n) as HTMLInputElement | null;
      if (!input) continue;
      if (input.type === 'checkbox') {
        if (input.checked) payload[n] = true;
      } else if (input.value.trim()) payload[n] = input.value.trim();
    }
    const items = picker?.value();
    if (items) payload.items = items;
    const body =
      Object.keys(payload).length || names.length ? { type: event, payload } : { type: event };
    api
      .post(`/v1/cases/${c.id}/events`, body)
      .then(() => refresh(w.done(label)))
      .catch((e: unknown) => say(notice, w.failed(problem(e)), true));
  });
  return submitted;
}

/** The merchant's own events, then the supplier's outcomes it may record for it. */
export function actionsPart(
  screen: Screen,
  data: CaseData,
  notice: Element,
  refresh: Refresh,
): Element {
  const { w } = screen;
  const { c } = data;
  const own = (c.allowedEvents ?? []).filter((e) => !OWN_PART.has(e));
  const relayed = c.relayableEvents ?? [];
  if (!own.length && !relayed.length) return el('p', { class: 'mute', text: w.noAction });
  return el('div', { class: 'actions' }, [
    ...own.map((event) => eventForm(screen, data, event, false, notice, refresh)),
    relayed.length
      ? el('div', { class: 'relays' }, [
          el('h3', { text: w.relays }),
          el('p', { class: 'mute', text: w.relaysHint }),
          ...relayed.map((event) => eventForm(screen, data, event, true, notice, refresh)),
        ])
      : null,
  ]);
}
