/** The parts of the case page where the merchant acts: messages, evidence, links (events: event-forms.ts). */
import type { CaseView, CreatedLink, Evidence } from '../shared/api-types';
import { el } from '../shared/dom';
import type { CaseData } from './case-page';
import { field, problem, say, type Screen } from './context';
import { dateTime } from './i18n';

export type Refresh = (done?: string) => Promise<void>;

export function messagesPart(
  screen: Screen,
  data: CaseData,
  notice: Element,
  refresh: Refresh,
): Element {
  const { w, api } = screen;
  const list = data.messages.map((m) =>
    el('li', { class: `message from-${m.from.kind}` }, [
      el('div', {
        class: 'mute',
        text: `${w.label('party', m.from.kind)} · ${dateTime(m.at, screen.lang)}`,
      }),
      el('p', { text: m.text }),
    ]),
  );
  const box = el('textarea', {
    id: 'message-text',
    name: 'text',
    rows: 3,
    required: true,
    maxlength: 10000,
  });
  const form = el('form', { id: 'message-form', class: 'stack' }, [
    field(w.message, box),
    el('button', { type: 'submit', text: w.send }),
  ]) as HTMLFormElement;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    api
      .post(`/v1/cases/${data.c.id}/messages`, { text: (box as HTMLTextAreaElement).value })
      .then(() => refresh(w.send + ' ✔'))
      .catch((e: unknown) => say(notice, w.failed(problem(e)), true));
  });
  return el('div', {}, [
    list.length
      ? el('ol', { id: 'messages', class: 'thread' }, list)
      : el('p', { class: 'mute', text: w.noMessage }),
    data.c.status === 'open' ? form : null,
  ]);
}

/** A photo's thumbnail: its bytes need the key, so they come by fetch as a data: URL (the CSP allows it). */
function thumbnail(screen: Screen, e: Evidence): Element {
  const img = el('img', {
    alt: e.description ?? `${e.kind} ${e.id.slice(0, 8)}`,
    class: 'thumb',
    width: 96,
    height: 96,
  });
  if (e.contentUrl)
    screen.api
      .blob(e.contentUrl)
      .then(
        (blob) =>
          new Promise<void>((done) => {
            const reader = new FileReader();
            reader.onload = () => {
              if (typeof reader.result === 'string') img.setAttribute('src', reader.result);
              done();
            };
            reader.readAsDataURL(blob);
          }),
      )
      .catch(() => img.setAttribute('alt', `${e.kind} —`));
  return img;
}

export function evidencePart(
  screen: Screen,
  data: CaseData,
  notice: Element,
  refresh: Refresh,
): Element {
  const { w, api } = screen;
  const { c } = data;
  const items = c.evidence.map((e) =>
    el('li', { 'data-evidence': e.id }, [
      e.contentUrl && (e.contentType ?? '').startsWith('image/') ? thumbnail(screen, e) : null,
      el('div', {}, [
        el('span', { class: 'badge', text: w.kinds[e.kind] ?? e.kind }),
        ' ',
        e.url && /^https:\/\//i.test(e.url) && !e.contentUrl
          ? el('a', { href: e.url, target: '_blank', rel: 'noopener noreferrer', text: e.url })
          : el('span', { text: e.contentType ?? '' }),
        e.description ? el('div', { text: e.description }) : null,
        el('div', { class: 'mute', text: dateTime(e.createdAt, screen.lang) }),
      ]),
    ]),
  );
  const file = el('input', {
    type: 'file',
    id: 'upload-file',
    name: 'file',
    required: true,
    accept: 'image/*,video/*,application/pdf',
  }) as HTMLInputElement;
  const kind = el(
    'select',
    { name: 'kind' },
    ['photo', 'video', 'document'].map((k) => el('option', { value: k, text: w.kinds[k] })),
  );
  const description = el('input', { name: 'description', maxlength: 500 });
  const form = el('form', { id: 'upload-form', class: 'stack' }, [
    field(w.upload, file),
    field(w.evidenceKind, kind),
    field(w.description, description),
    el('button', { type: 'submit', text: w.uploadIt }),
  ]) as HTMLFormElement;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return;
    const body = new FormData();
    // The server reads the type from the bytes; the kind only says which limit applies.
    const picked = (kind as HTMLSelectElement).value;
    body.append(
      'kind',
      chosen.type.startsWith('video/')
        ? 'video'
        : chosen.type.startsWith('image/')
          ? 'photo'
          : picked,
    );
    const text = (description as HTMLInputElement).value.trim();
    if (text) body.append('description', text);
    body.append('file', chosen);
    api
      .post(`/v1/cases/${c.id}/evidence`, body)
      .then(() => refresh(w.uploaded))
      .catch((e: unknown) => say(notice, w.failed(problem(e)), true));
  });
  return el('div', {}, [
    items.length
      ? el('ul', { id: 'evidence', class: 'evidence' }, items)
      : el('p', { class: 'mute', text: w.noEvidence }),
    c.status === 'open' ? form : null,
  ]);
}

/** The supplier's and the buyer's links: made on demand (the token shows once), then copied. */
export function linksPart(screen: Screen, c: CaseView): Element {
  const { w, api } = screen;
  const row = (audience: 'supplier' | 'buyer', label: string) => {
    const out = el('div', { class: 'link-out' });
    const status = el('span', { role: 'status', class: 'mute' });
    const create = el('button', {
      type: 'button',
      id: `${audience}-link`,
      text: `${w.createLink} — ${label}`,
      onclick: () => {
        api
          .post<CreatedLink>(`/v1/cases/${c.id}/${audience}-link`)
          .then((made) => {
            const url = new URL(made.url, location.origin).toString();
            const input = el('input', {
              readonly: true,
              value: url,
              'aria-label': label,
              id: `${audience}-url`,
            }) as HTMLInputElement;
            const copy = el('button', {
              type: 'button',
              text: w.copy,
              onclick: () => {
                input.select();
                navigator.clipboard
                  .writeText(url)
                  .then(() => (status.textContent = w.copied))
                  .catch(() => undefined); // selected: the user copies it by hand
              },
            });
            out.replaceChildren(input, copy, status);
            status.textContent = w.linkExpires(dateTime(made.expiresAt, screen.lang));
          })
          .catch((e: unknown) => (status.textContent = w.failed(problem(e))));
      },
    });
    out.append(create, status);
    return el('div', { class: 'link-row' }, [el('h3', { text: label }), out]);
  };
  return el('div', {}, [row('supplier', w.supplierLink), row('buyer', w.buyerLink)]);
}
