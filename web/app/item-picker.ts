/**
 * The order lines an event's `items` names (a refund's lines, workflow.events.ts): the merchant
 * ticks the case's claim lines (else the order's) and says how many of each, up to the quantity
 * claimed; the amount follows the lines ticked when the order gives their prices.
 */
import type { CaseView } from '../shared/api-types';
import { el } from '../shared/dom';
import { field, type Screen } from './context';

export interface ItemPicker {
  element: Element;
  /** The lines ticked, `{sku, quantity}`; null when none is (the event then names no lines). */
  value: () => { sku: string; quantity: number }[] | null;
  /** Sets the amount to the sum of the lines ticked (when their prices are known). */
  follow: () => void;
}

/** The lines a case's events may name: its claim's, else its order's. */
function linesOf(c: CaseView): { sku: string; quantity: number }[] {
  if (c.claim?.items.length) return c.claim.items;
  return (c.order?.items ?? []).map(({ sku, quantity }) => ({ sku, quantity }));
}

/** Two decimals in the order's minor unit; null when a line has no known price. */
function sumOf(c: CaseView, picked: { sku: string; quantity: number }[]): string | null {
  const prices = new Map((c.order?.items ?? []).map((line) => [line.sku, line.unitPrice]));
  let cents = 0;
  for (const { sku, quantity } of picked) {
    const price = prices.get(sku);
    if (price === undefined || !/^\d+(\.\d{1,2})?$/.test(price)) return null;
    const [units, fraction = ''] = price.split('.');
    cents += (Number(units) * 100 + Number(fraction.padEnd(2, '0'))) * quantity;
  }
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * A fieldset of the case's lines, each ticked with its full quantity; `amount` (the form's amount
 * input, if any) is kept at the sum of the lines ticked.
 */
export function itemPicker(
  screen: Screen,
  c: CaseView,
  event: string,
  amount: () => HTMLInputElement | null,
): ItemPicker | null {
  const { w } = screen;
  const lines = linesOf(c);
  if (!lines.length) return null;
  const rows = lines.map((line, i) => {
    const id = `${event}-item-${i}`;
    const tick = el('input', {
      type: 'checkbox',
      id,
      name: `${event}-sku`,
      value: line.sku,
      checked: true,
    }) as HTMLInputElement;
    const qty = el('input', {
      type: 'number',
      name: `${event}-qty-${i}`,
      min: 1,
      max: line.quantity,
      value: line.quantity,
      inputmode: 'numeric',
    }) as HTMLInputElement;
    return { line, tick, qty };
  });
  const value = () => {
    const picked = rows
      .filter((r) => r.tick.checked)
      .map((r) => ({
        sku: r.line.sku,
        quantity: Math.min(r.line.quantity, Math.max(1, Math.floor(Number(r.qty.value) || 1))),
      }));
    return picked.length ? picked : null;
  };
  const follow = () => {
    const input = amount();
    const picked = value();
    const sum = picked ? sumOf(c, picked) : null;
    if (input && sum) input.value = sum;
  };
  const element = el('fieldset', { class: 'claim-lines items', 'data-items': event }, [
    el('legend', { text: w.itemsLegend }),
    ...rows.map(({ line, tick, qty }) =>
      el('div', { class: 'line' }, [
        el('label', { class: 'check' }, [tick, `${line.sku} × ${line.quantity}`]),
        field(`${w.quantity} ${line.sku}`, qty),
      ]),
    ),
  ]);
  element.addEventListener('change', follow);
  element.addEventListener('input', follow);
  return { element, value, follow };
}
