import type { Receivable } from '../shared/api-types';
import { el } from '../shared/dom';
import { problem, type Screen } from './context';
import { dateTime } from './i18n';

/** `/app/money`: what each supplier owes the merchant, per currency; the same as a CSV file. */
export function moneyPage(screen: Screen): Element {
  const { w, api, merchant } = screen;
  const path = `/v1/merchants/${merchant.id}/receivables`;
  const body = el('div', { 'aria-busy': 'true' }, [el('p', { text: w.loading })]);
  const status = el('p', { role: 'status' });
  const csv = el('button', {
    type: 'button',
    id: 'csv',
    text: w.csv,
    onclick: () => {
      api
        .blob(`${path}?format=csv`)
        .then((blob) => {
          const url = URL.createObjectURL(blob);
          const a = el('a', {
            href: url,
            download: `receivables-${merchant.id.slice(0, 8)}.csv`,
          }) as HTMLAnchorElement;
          document.body.appendChild(a);
          a.click();
          a.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10_000);
        })
        .catch((e: unknown) => (status.textContent = w.failed(problem(e))));
    },
  });
  const c = w.col3;
  api
    .get<{ items: Receivable[] }>(path)
    .then((answer) => {
      const rows = answer.items.map((r) =>
        el('tr', { 'data-supplier': r.supplierId }, [
          el('td', {
            'data-label': c.supplier,
            text: r.supplierName,
            title: dateTime(r.lastActivityAt, screen.lang),
          }),
          el('td', { 'data-label': c.currency, text: r.currency }),
          el('td', { 'data-label': c.claimed, class: 'num', text: r.claimed }),
          el('td', { 'data-label': c.refunded, class: 'num', text: r.refunded }),
          el('td', { 'data-label': c.outstanding, class: 'num', text: r.outstanding }),
          el('td', {
            'data-label': c.overdue,
            class: Number(r.overdue) > 0 ? 'num overdue' : 'num',
            text: r.overdue,
          }),
          el('td', { 'data-label': c.openCases, class: 'num', text: r.openCases }),
        ]),
      );
      body.replaceChildren(
        rows.length
          ? el('table', { id: 'receivables', class: 'cards' }, [
              el('thead', {}, [
                el(
                  'tr',
                  {},
                  [
                    c.supplier,
                    c.currency,
                    c.claimed,
                    c.refunded,
                    c.outstanding,
                    c.overdue,
                    c.openCases,
                  ].map((h) => el('th', { scope: 'col', text: h })),
                ),
              ]),
              el('tbody', {}, rows),
            ])
          : el('p', { class: 'mute', text: w.noMoney }),
      );
      body.setAttribute('aria-busy', 'false');
    })
    .catch((e: unknown) =>
      body.replaceChildren(el('p', { class: 'error', role: 'alert', text: w.failed(problem(e)) })),
    );
  return el('section', {}, [el('h1', { text: w.money }), csv, status, body]);
}
