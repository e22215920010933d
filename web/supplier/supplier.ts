/**
 * The supplier's page (`/s/<token>`, collaboration.md "Supplier link"): the case as its supplier
 * sees it (order, problem, evidence, messages, deadline) and one form per event the supplier may
 * send now, plus a message box, in the supplier's language. The link's token is the credential:
 * it is read from the address and only sent back to this server.
 */
import { ApiError } from '../shared/api';
import type { PortalForm, PortalView } from '../shared/api-types';
import { byId, el } from '../shared/dom';
import { when } from '../shared/format';
import { LinkApi, tokenOfPage } from '../shared/link-api';
import { wordsFor, type Words } from './i18n';

const api = new LinkApi(`/v1/portal/${encodeURIComponent(tokenOfPage())}`);
let words: Words = wordsFor(document.documentElement.lang);

const message = (error: unknown) =>
  error instanceof ApiError ? (error.body.message ?? error.message) : String(error);

function setText(id: string, text: string): void {
  byId(id).textContent = text;
}

function render(view: PortalView): void {
  words = wordsFor(view.language);
  document.documentElement.lang = view.language;
  document.title = `${words.title} · ${view.order.ref ?? ''}`;
  setText('title', words.title);
  setText('state', words.states(view.state, view.status));
  byId('state').className = `badge ${view.status === 'closed' ? 'ok' : ''}`;

  setText('deadline-title', words.deadline);
  const deadlines = view.deadlines.map((d) => {
    const ms = new Date(d.dueAt).getTime() - Date.now();
    const abs = Math.abs(ms);
    const left = words.left(
      Math.floor(abs / 86_400_000),
      Math.floor((abs % 86_400_000) / 3_600_000),
      Math.floor((abs % 3_600_000) / 60_000),
      ms < 0,
    );
    return el('li', { class: ms < 0 ? 'late' : null }, [
      `${words.deadlines[d.kind] ?? d.kind}: ${when(d.dueAt)} (${left})`,
    ]);
  });
  byId('deadlines').replaceChildren(
    ...(deadlines.length ? deadlines : [el('li', { text: words.noDeadline })]),
  );

  setText('order-title', words.order);
  setText('order-ref', view.order.ref ? words.orderRef(view.order.ref) : '');
  setText('th-sku', words.sku);
  setText('th-qty', words.quantity);
  byId('items')
    .querySelector('tbody')!
    .replaceChildren(
      ...view.order.items.map((item) =>
        el('tr', {}, [el('td', { text: item.sku }), el('td', { text: String(item.quantity) })]),
      ),
    );
  setText('ship-to', words.shipTo(view.order.shipToCountry ?? '?'));

  setText('problem-title', words.problem);
  setText('problem-type', words.caseTypes[view.problem.type] ?? view.problem.type);
  setText('problem-text', view.problem.description ?? '');

  setText('evidence-title', words.evidence);
  const evidence = view.evidence.map((e) =>
    el('li', {}, [
      e.contentUrl && e.kind === 'photo'
        ? el('img', { src: e.contentUrl, alt: e.description ?? e.kind, loading: 'lazy' })
        : el('span', { text: `${e.kind}${e.url ? `: ${e.url}` : ''}` }),
      e.description ? el('p', { text: e.description }) : null,
    ]),
  );
  byId('evidence').replaceChildren(
    ...(evidence.length ? evidence : [el('li', { text: words.noEvidence })]),
  );

  setText('messages-title', words.messages);
  const messages = view.messages.map((m) =>
    el('li', {}, [
      el('div', {
        class: 'from',
        text: `${words.from[m.from.kind] ?? m.from.kind} · ${when(m.at)}`,
      }),
      el('div', { text: m.text }),
    ]),
  );
  byId('messages').replaceChildren(
    ...(messages.length ? messages : [el('li', { text: words.noMessages })]),
  );
  setText('message-label', words.messageLabel);
  setText('message-send', words.send);
  byId('message-form').hidden = view.status === 'closed';

  setText('actions-title', words.actions);
  byId('forms').replaceChildren(...view.forms.map(eventForm));
  const none = byId('no-actions');
  none.hidden = view.forms.length > 0;
  none.textContent = words.noActions;
  byId('case').hidden = false;
}

/** One event's form: a labelled input per payload field, required ones marked so. */
function eventForm(form: PortalForm): HTMLFormElement {
  const field = (name: string, required: boolean) => {
    const id = `f-${form.type}-${name}`;
    const label = `${words.fields[name] ?? name}${required ? '' : ` (${words.optional})`}`;
    return el('label', { for: id }, [
      label,
      el('input', { id, name, required, autocomplete: 'off' }),
    ]);
  };
  const node = el('form', { class: 'event', 'data-event': form.type }, [
    ...form.required.map((name) => field(name, true)),
    ...form.optional.map((name) => field(name, false)),
    el('button', { type: 'submit', text: words.events[form.type] ?? form.type }),
  ]) as HTMLFormElement;
  node.addEventListener('submit', (event) => {
    event.preventDefault();
    const payload: Record<string, string> = {};
    for (const [name, value] of new FormData(node)) {
      if (typeof value === 'string' && value.trim() !== '') payload[name] = value.trim();
    }
    void act(() => api.post<PortalView>('/events', { type: form.type, payload }));
  });
  return node;
}

async function act(send: () => Promise<unknown>): Promise<void> {
  setText('error', '');
  try {
    await send();
    render(await api.get<PortalView>());
  } catch (error) {
    setText('error', words.failed(message(error)));
  }
}

function start(): void {
  const form = byId<HTMLFormElement>('message-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const box = byId<HTMLTextAreaElement>('message-text');
    const text = box.value;
    void act(async () => {
      await api.post('/messages', { text });
      box.value = '';
    });
  });
  api.get<PortalView>().then(render, (error: unknown) => setText('error', message(error)));
}

start();
