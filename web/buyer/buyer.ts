/**
 * The buyer's page (`/b/<token>`, evidence.md "The buyer's link"), made for a phone: the buyer
 * picks the order lines concerned, describes the problem, and uploads photos or videos (the
 * camera on a phone), in the case's `buyerLanguage`. It shows only the order's items and what the
 * buyer sent. The link's token is the credential: read from the address, sent only to this server.
 */
import { ApiError } from '../shared/api';
import type { BuyerView } from '../shared/api-types';
import { byId, el } from '../shared/dom';
import { when } from '../shared/format';
import { LinkApi, tokenOfPage } from '../shared/link-api';
import { wordsFor, type Words } from './i18n';

const api = new LinkApi(`/v1/buyer/${encodeURIComponent(tokenOfPage())}`);
let words: Words = wordsFor(document.documentElement.lang);

const message = (error: unknown) =>
  error instanceof ApiError ? (error.body.message ?? error.message) : String(error);

function setText(id: string, text: string): void {
  byId(id).textContent = text;
}

function render(view: BuyerView): void {
  words = wordsFor(view.language);
  document.documentElement.lang = view.language;
  document.title = words.title;
  setText('title', words.title);
  setText('intro', view.status === 'closed' ? words.closed : words.intro);
  setText('items-legend', words.items);
  const checked = new Set(
    [...document.querySelectorAll<HTMLInputElement>('#items input:checked')].map((i) => i.value),
  );
  byId('items').replaceChildren(
    ...view.items.map((item, i) =>
      el('label', { for: `item-${i}` }, [
        el('input', {
          id: `item-${i}`,
          type: 'checkbox',
          name: 'items',
          value: item.sku,
          checked: checked.has(item.sku),
        }),
        `${item.sku} ${words.quantity(item.quantity)}`,
      ]),
    ),
  );
  setText('statement-label', words.statement);
  setText('statement-send', words.sendStatement);
  setText('upload-label', words.upload);
  setText('upload-send', words.sendFile);
  setText('uploads-left', words.uploadsLeft(view.uploadsLeft));
  byId('statement-form').hidden = view.status === 'closed';
  byId('upload-form').hidden = view.status === 'closed' || view.uploadsLeft === 0;

  setText('sent-title', words.sentTitle);
  const sent = view.sent.map((s) =>
    s.kind === 'statement'
      ? el('li', {}, [
          el('div', {
            class: 'hint',
            text: `${when(s.at)}${s.items ? ` · ${s.items.join(', ')}` : ''}`,
          }),
          el('div', { text: s.text }),
        ])
      : el('li', {
          text: `${when(s.at)} · ${s.evidenceKind === 'video' ? words.video : words.photo}`,
        }),
  );
  byId('sent').replaceChildren(...(sent.length ? sent : [el('li', { text: words.nothingSent })]));
  byId('case').hidden = false;
}

async function act(send: () => Promise<unknown>, done: string): Promise<void> {
  setText('error', '');
  setText('notice', '');
  try {
    await send();
    render(await api.get<BuyerView>());
    setText('notice', done);
  } catch (error) {
    setText('error', words.failed(message(error)));
  }
}

function start(): void {
  const statement = byId<HTMLFormElement>('statement-form');
  statement.addEventListener('submit', (event) => {
    event.preventDefault();
    const box = byId<HTMLTextAreaElement>('statement-text');
    const items = [...statement.querySelectorAll<HTMLInputElement>('#items input:checked')].map(
      (input) => input.value,
    );
    const body = items.length ? { text: box.value, items } : { text: box.value };
    void act(async () => {
      await api.post('/statement', body);
      box.value = '';
    }, words.statementSent);
  });
  const upload = byId<HTMLFormElement>('upload-form');
  upload.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId<HTMLInputElement>('upload-file');
    const file = input.files?.[0];
    if (!file) return;
    const form = new FormData();
    // The server reads the type from the bytes; the kind only says which limit applies.
    form.append('kind', file.type.startsWith('video/') ? 'video' : 'photo');
    form.append('file', file);
    void act(async () => {
      await api.upload('/evidence', form);
      input.value = '';
    }, words.fileSent);
  });
  api.get<BuyerView>().then(render, (error: unknown) => setText('error', message(error)));
}

start();
