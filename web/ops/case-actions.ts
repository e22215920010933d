/**
 * What ops may do to an open case: a button per event the case allows the ops key now
 * (`allowedEvents`), the featured ones first (force a refund or a close, escalate, set the
 * liability, a note, a message), any other in a list. A button opens a form with the payload
 * fields the workflow defines for that event (`GET /v1/workflows/:type`'s `payloads`); the event
 * goes with `If-Match: <version>` so an action on a case someone else just changed is refused
 * (409) rather than applied to a state the user did not see.
 */
import { ApiError } from '../shared/api';
import { el } from '../shared/dom';
import { fieldLabel } from './payload-view';
import { errorText, send } from './ops-api';
import type { OpsCase, OpsWorkflow } from './ops-types';

/** The buttons ops looks for first, in this order; MESSAGE goes to the message thread. */
const FEATURED: readonly string[] = [
  'FORCE_REFUND',
  'FORCE_CLOSE',
  'ESCALATE',
  'SET_LIABILITY',
  'NOTE',
  'MESSAGE',
];
const TITLES: Record<string, string> = {
  FORCE_REFUND: 'Force refund',
  FORCE_CLOSE: 'Force close',
  ESCALATE: 'Escalate',
  SET_LIABILITY: 'Set liability',
  NOTE: 'Add note',
  MESSAGE: 'Send message',
};
/** Fields when the workflow's description could not be read (src/workflows/workflow.events.ts). */
const KNOWN: Record<string, { required: string[]; optional: string[] }> = {
  FORCE_REFUND: { required: [], optional: ['reason'] },
  FORCE_CLOSE: { required: ['reason'], optional: [] },
  ESCALATE: { required: ['reason'], optional: [] },
  SET_LIABILITY: { required: ['liability', 'reason'], optional: [] },
  NOTE: { required: ['text'], optional: [] },
  MESSAGE: { required: ['text'], optional: [] },
};
/** Fields with a fixed set of values (src/workflows/workflow.types.ts and workflow.events.ts). */
const CHOICES: Record<string, string[]> = {
  liability: ['supplier', 'carrier', 'merchant', 'buyer', 'undetermined'],
  resolution: ['reship', 'refund'],
};
const LONG_TEXT = new Set(['text', 'reason', 'message']);
const FLAGS = new Set(['onBehalfOfSupplier']);
/** Fields a form cannot sensibly ask for (order lines): the event goes without them. */
const SKIPPED = new Set(['items']);

const title = (type: string) => TITLES[type] ?? type;

function field(
  type: string,
  name: string,
  required: boolean,
): { node: Element; read: () => unknown } {
  const id = `f-${type}-${name}`;
  const label = `${fieldLabel(name)}${required ? '' : ' (optional)'}`;
  let input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  if (CHOICES[name]) {
    input = el('select', { id, name, required }, [
      required ? null : el('option', { value: '', text: '—' }),
      ...CHOICES[name].map((v) => el('option', { value: v, text: v })),
    ]) as HTMLSelectElement;
  } else if (FLAGS.has(name)) {
    input = el('input', { id, name, type: 'checkbox' }) as HTMLInputElement;
  } else if (LONG_TEXT.has(name)) {
    input = el('textarea', {
      id,
      name,
      rows: 3,
      required,
      maxlength: 10000,
    }) as HTMLTextAreaElement;
  } else {
    input = el('input', { id, name, required, autocomplete: 'off' }) as HTMLInputElement;
  }
  const read = () => {
    if (input instanceof HTMLInputElement && input.type === 'checkbox')
      return input.checked || undefined;
    const text = input.value.trim();
    return text === '' ? undefined : text;
  };
  return { node: el('label', { for: id }, [label, input]), read };
}

/** The form of one event; `done` is called once the server took it. */
function eventForm(c: OpsCase, type: string, wf: OpsWorkflow | null, done: () => void): Element {
  const shape = wf?.payloads?.[type] ?? KNOWN[type] ?? { required: [], optional: [] };
  const fields = [
    ...shape.required.map((name) => ({ name, required: true })),
    ...shape.optional.map((name) => ({ name, required: false })),
  ]
    .filter((f) => !SKIPPED.has(f.name))
    .map((f) => ({ name: f.name, ...field(type, f.name, f.required) }));
  const error = el('p', { class: 'error', role: 'alert', id: 'action-error' });
  const submit = el('button', { type: 'submit', text: title(type) }) as HTMLButtonElement;
  const form = el('form', { class: 'action-form', 'data-event': type, 'aria-label': title(type) }, [
    el('h4', { text: `${title(type)} (${type})` }),
    ...fields.map((f) => f.node),
    el('div', { class: 'row' }, [
      submit,
      el('button', {
        type: 'button',
        class: 'secondary',
        text: 'Cancel',
        onclick: () => form.remove(),
      }),
    ]),
    error,
  ]) as HTMLFormElement;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const payload: Record<string, unknown> = {};
    for (const f of fields) {
      const value = f.read();
      if (value !== undefined) payload[f.name] = value;
    }
    submit.disabled = true;
    error.textContent = '';
    const sent =
      type === 'MESSAGE'
        ? send('POST', `/v1/cases/${c.id}/messages`, { text: payload.text ?? '' })
        : send(
            'POST',
            `/v1/cases/${c.id}/events`,
            { type, payload },
            { 'if-match': `"${c.version}"` },
          );
    sent.then(done, (e: unknown) => {
      error.textContent = errorText(e);
      submit.disabled = false;
      // Changed by someone else since it was shown: offer the case as it is now.
      if (e instanceof ApiError && e.status === 409 && c.status === 'open') {
        error.append(
          ' ',
          el('button', {
            type: 'button',
            id: 'reload-case',
            text: 'Show the case as it is now',
            onclick: done,
          }),
        );
      }
    });
  });
  return form;
}

/**
 * The actions section of an open case: its buttons and the form of the one chosen. A closed case
 * takes no event: the section says so.
 */
export function caseActions(c: OpsCase, wf: OpsWorkflow | null, done: () => void): Element {
  const allowed = c.allowedEvents ?? [];
  if (c.status === 'closed' || !allowed.length) {
    return el('p', { class: 'mute', id: 'actions', text: 'No action: the case is closed.' });
  }
  const slot = el('div', { class: 'action-slot' });
  const open = (type: string) => {
    const form = eventForm(c, type, wf, done);
    slot.replaceChildren(form);
    form.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  };
  const featured = FEATURED.filter((type) => (allowed as readonly string[]).includes(type));
  const others = allowed.filter((type) => !FEATURED.includes(type));
  const other = el('select', { id: 'other-event', 'aria-label': 'Other event' }, [
    el('option', { value: '', text: 'Other event…' }),
    ...others.map((type) => el('option', { value: type, text: type })),
  ]) as HTMLSelectElement;
  other.addEventListener('change', () => {
    if (other.value) open(other.value);
  });
  return el('section', { id: 'actions', 'aria-label': 'Actions' }, [
    el('div', { class: 'row' }, [
      ...featured.map((type) =>
        el('button', {
          type: 'button',
          'data-action': type,
          text: title(type),
          onclick: () => open(type),
        }),
      ),
      others.length ? other : null,
    ]),
    slot,
  ]);
}
