/**
 * The merchant console (`/app`): sign in with a merchant API key (kept in this tab's
 * sessionStorage only), work the queues, open cases, act on a case, read the money. Each screen
 * has its own path (`/app`, `/app/new`, `/app/money`, `/app/cases/<id>`), which the server answers
 * with this page, so a reload or a shared link lands on the same screen.
 */
import { Api, ApiError } from '../shared/api';
import type { Merchant } from '../shared/api-types';
import { byId } from '../shared/dom';
import { casePage } from './case-page';
import { link, problem, type Screen } from './context';
import { chooseLanguage, LANGUAGES, rememberLanguage, wordsFor, type Lang } from './i18n';
import { moneyPage } from './money';
import { openCasePage } from './open-case';
import { queuesPage } from './queues';

const KEY = 'redress.merchantKey';
const CASE_PATH = /^\/app\/cases\/([0-9a-f-]{36})$/i;

let lang: Lang = chooseLanguage();
let merchant: Merchant | null = null;
let leaving: (() => void)[] = [];

const api = new Api({
  key: () => sessionStorage.getItem(KEY),
  onUnauthorized: () => signOut(wordsFor(lang).keyRefused),
});

function setLanguage(next: Lang): void {
  lang = next;
  document.documentElement.lang = lang;
  byId<HTMLSelectElement>('lang').value = lang;
  const w = wordsFor(lang);
  document.title = w.title;
  byId('lang-label').textContent = w.language;
  byId('logout').textContent = w.signOut;
  byId('login-title').textContent = w.title;
  byId('key-label').textContent = w.key;
  byId('login-submit').textContent = w.signIn;
  byId('login-hint').textContent = w.keyHint;
}

function signOut(reason: string): void {
  sessionStorage.removeItem(KEY);
  merchant = null;
  leave();
  byId('view').hidden = true;
  byId('nav').hidden = true;
  byId('logout').hidden = true;
  byId('who').textContent = '';
  byId('login').hidden = false;
  byId('login-error').textContent = reason;
}

async function signIn(): Promise<void> {
  try {
    merchant = await api.get<Merchant>('/v1/merchants/me');
  } catch (error) {
    const w = wordsFor(lang);
    const status = error instanceof ApiError ? error.status : 0;
    signOut(status === 403 ? w.notMerchantKey : status === 401 ? w.keyRefused : problem(error));
    return;
  }
  byId('login').hidden = true;
  byId('view').hidden = false;
  byId('nav').hidden = false;
  byId('logout').hidden = false;
  byId('who').textContent = merchant.name;
  render();
}

function leave(): void {
  for (const stop of leaving) stop();
  leaving = [];
}

function go(path: string): void {
  if (path !== location.pathname + location.search) history.pushState(null, '', path);
  render();
}

/** Draws the screen the address names; `moveFocus`: to its heading, as a new page would. */
function render(moveFocus = true): void {
  if (!merchant) return;
  leave();
  const w = wordsFor(lang);
  const screen: Screen = { api, w, lang, merchant, go, onLeave: (stop) => leaving.push(stop) };
  const path = location.pathname.replace(/\/$/, '');
  const here = (p: string) => (path === p ? 'page' : null);
  byId('nav').setAttribute('aria-label', w.nav);
  byId('nav').replaceChildren(
    link(screen, '/app', [w.navQueues], { 'aria-current': here('/app') }),
    link(screen, '/app/new', [w.navNew], { 'aria-current': here('/app/new') }),
    link(screen, '/app/money', [w.navMoney], { 'aria-current': here('/app/money') }),
  );
  const view = byId('view');
  const caseId = CASE_PATH.exec(path)?.[1];
  const content = caseId
    ? casePage(screen, caseId)
    : path === '/app/new'
      ? openCasePage(screen)
      : path === '/app/money'
        ? moneyPage(screen)
        : queuesPage(screen);
  view.replaceChildren(content);
  // Moving focus to the new screen's heading tells screen readers the screen changed.
  const heading = view.querySelector<HTMLElement>('h1');
  if (heading && moveFocus && document.activeElement !== document.body) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

document.addEventListener('DOMContentLoaded', () => {
  setLanguage(lang);
  const select = byId<HTMLSelectElement>('lang');
  for (const option of select.options) option.disabled = !LANGUAGES.includes(option.value as Lang);
  select.addEventListener('change', () => {
    const next = select.value === 'en' ? 'en' : 'fr';
    rememberLanguage(next);
    setLanguage(next);
    render(false); // the focus stays on the language menu
  });
  byId<HTMLFormElement>('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId<HTMLInputElement>('key');
    sessionStorage.setItem(KEY, input.value.trim());
    input.value = '';
    void signIn();
  });
  byId('logout').addEventListener('click', () => signOut(''));
  window.addEventListener('popstate', () => render());
  if (sessionStorage.getItem(KEY)) void signIn();
  else signOut('');
});
