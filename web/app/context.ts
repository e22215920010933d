import type { Api } from '../shared/api';
import { ApiError } from '../shared/api';
import type { Merchant } from '../shared/api-types';
import { el, type Child } from '../shared/dom';
import type { Lang, Words } from './i18n';

/** What every screen of the console gets: the API, the words, who signed in, and navigation. */
export interface Screen {
  api: Api;
  w: Words;
  lang: Lang;
  merchant: Merchant;
  /** Goes to another screen of the console (`/app/...`), as a link would. */
  go: (path: string) => void;
  /** Runs when the screen is left (a countdown's interval). */
  onLeave: (stop: () => void) => void;
}

/** An error as the user reads it: the API's message when it gave one. */
export const problem = (error: unknown) =>
  error instanceof ApiError
    ? `${error.status} ${error.body.message ?? error.body.error ?? ''}`
    : error instanceof Error
      ? error.message
      : String(error);

/** A link to another screen: an ordinary `<a>` (keyboard, new tab), followed without a reload. */
export function link(screen: Screen, path: string, children: Child[], attrs = {}): Element {
  const a = el('a', { href: path, ...attrs }, children) as HTMLAnchorElement;
  a.addEventListener('click', (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    screen.go(path);
  });
  return a;
}

/** A labelled form field: the label wraps its control, so screen readers name it. */
export function field(label: string, control: Element, hint?: string): Element {
  return el('label', {}, [
    el('span', { text: label }),
    control,
    hint ? el('small', { text: hint }) : null,
  ]);
}

/** A status line that screen readers announce (`role=status`), or an alert for errors. */
export function say(box: Element, text: string, error = false): void {
  box.textContent = text;
  box.className = error ? 'error' : 'notice';
}
