import type { CaseView, OrderItem, OrderView, Page, WorkflowSummary } from '../shared/api-types';
import { el } from '../shared/dom';
import { field, problem, say, type Screen } from './context';

const input = (name: string, attrs: Record<string, string | number | boolean> = {}) =>
  el('input', { name, ...attrs }) as HTMLInputElement;

/** The claim lines: one per order line, checked and with a quantity up to the one ordered. */
function claimLines(screen: Screen, items: OrderItem[]): Element {
  const { w } = screen;
  return el('fieldset', { class: 'claim-lines' }, [
    el('legend', { text: w.claimLines }),
    ...items.map((item, i) =>
      el('div', { class: 'line' }, [
        el('label', { class: 'check' }, [
          el('input', {
            type: 'checkbox',
            name: 'claimSku',
            value: item.sku,
            checked: true,
            id: `claim-${i}`,
          }),
          `${item.sku} × ${item.quantity} (${item.unitPrice})`,
        ]),
        field(
          `${w.quantity} ${item.sku}`,
          input(`claimQty-${item.sku}`, {
            type: 'number',
            min: 1,
            max: item.quantity,
            value: item.quantity,
          }),
        ),
      ]),
    ),
  ]);
}

/** The order's own form, for an order the API does not know (no `POST /v1/orders` yet). */
function orderForm(screen: Screen, ref: string): Element {
  const { w } = screen;
  const lines = el('div', { class: 'order-lines' });
  const addLine = () => {
    const n = lines.children.length;
    lines.appendChild(
      el('div', { class: 'line' }, [
        field(`${w.sku} ${n + 1}`, input('sku', { required: true })),
        field(
          `${w.quantity} ${n + 1}`,
          input('quantity', { type: 'number', min: 1, value: 1, required: true }),
        ),
        field(
          `${w.unitPrice} ${n + 1}`,
          input('unitPrice', {
            inputmode: 'decimal',
            pattern: '\\d+(\\.\\d{1,4})?',
            required: true,
          }),
        ),
      ]),
    );
  };
  addLine();
  return el('fieldset', { class: 'order' }, [
    el('legend', { text: w.orderForm }),
    input('ref', { type: 'hidden', value: ref }),
    field(w.placedAt, input('placedAt', { type: 'date', required: true })),
    field(w.origin, input('originCountry', { value: 'CN', pattern: '[A-Z]{2}', required: true })),
    field(
      w.destination,
      input('destinationCountry', { value: 'FR', pattern: '[A-Z]{2}', required: true }),
    ),
    field(w.currency, input('currency', { value: 'EUR', pattern: '[A-Z]{3}', required: true })),
    lines,
    el('button', { type: 'button', text: w.addLine, onclick: addLine }),
  ]);
}

/** Sum of quantity × price, as a decimal string with the prices' largest number of decimals. */
function total(items: OrderItem[]): string {
  const places = Math.max(0, ...items.map((i) => (i.unitPrice.split('.')[1] ?? '').length));
  const scale = 10 ** places;
  const minor = items.reduce(
    (sum, i) => sum + Math.round(Number(i.unitPrice) * scale) * i.quantity,
    0,
  );
  return (minor / scale).toFixed(places);
}

/** `/app/new`: open a case from an order ref (the merchant's order, or one described here). */
export function openCasePage(screen: Screen): Element {
  const { w, api } = screen;
  const status = el('p', { role: 'status' });
  const orderPart = el('div', { id: 'order-part' });
  let found: OrderView | null = null;
  let described = false;

  const typeSelect = el('select', { name: 'type', required: true }) as HTMLSelectElement;
  api
    .get<Page<WorkflowSummary>>('/v1/workflows')
    .then((body) => {
      for (const wf of body.items)
        typeSelect.appendChild(el('option', { value: wf.type, text: w.caseType(wf.type) }));
    })
    .catch((e: unknown) => say(status, w.failed(problem(e)), true));
  const ref = input('orderRef', { required: true, autocomplete: 'off' });
  const supplier = input('supplierId', { autocomplete: 'off' });

  async function findOrder(): Promise<void> {
    const wanted = ref.value.trim();
    if (!wanted) return;
    try {
      const page = await api.get<Page<OrderView>>(`/v1/orders?ref=${encodeURIComponent(wanted)}`);
      found = page.items[0] ?? null;
      described = !found;
      if (found) {
        say(status, w.orderFound(wanted));
        if (found.supplierId) supplier.value = found.supplierId;
        orderPart.replaceChildren(claimLines(screen, found.items));
      } else {
        say(status, w.orderMissing(wanted));
        orderPart.replaceChildren(orderForm(screen, wanted));
      }
    } catch (e) {
      say(status, w.failed(problem(e)), true);
    }
  }

  const form = el('form', { id: 'open-form', class: 'stack' }, [
    field(w.type, typeSelect),
    el('div', { class: 'row' }, [
      field(w.orderRef, ref),
      el('button', {
        type: 'button',
        id: 'find-order',
        text: w.findOrder,
        onclick: () => void findOrder(),
      }),
    ]),
    orderPart,
    field(w.supplierId, supplier),
    field(
      w.claimAmount,
      input('claimAmount', { inputmode: 'decimal', pattern: '\\d+(\\.\\d{1,4})?' }),
    ),
    field(w.description, el('textarea', { name: 'description', rows: 3, maxlength: 5000 })),
    field(
      w.resolution,
      el('select', { name: 'preferredResolution' }, [
        el('option', { value: '', text: '—' }),
        el('option', { value: 'refund', text: w.refund }),
        el('option', { value: 'reship', text: w.reship }),
      ]),
    ),
    el('button', { type: 'submit', text: w.openIt }),
    status,
  ]) as HTMLFormElement;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!found && !described) {
      void findOrder();
      return;
    }
    const data = new FormData(form);
    const text = (name: string) => {
      const value = data.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    const body: Record<string, unknown> = { type: text('type') };
    if (text('supplierId')) body.supplierId = text('supplierId');
    if (text('description')) body.description = text('description');
    if (text('preferredResolution')) body.preferredResolution = text('preferredResolution');
    const claim: Record<string, unknown> = {};
    if (text('claimAmount')) claim.amount = text('claimAmount');
    if (found) {
      body.orderRef = found.ref;
      const items = found.items
        .filter((item) => data.getAll('claimSku').includes(item.sku))
        .map((item) => ({ sku: item.sku, quantity: Number(text(`claimQty-${item.sku}`)) }));
      if (items.length) claim.items = items;
    } else {
      const skus = data.getAll('sku').map(String);
      const quantities = data.getAll('quantity').map(Number);
      const prices = data.getAll('unitPrice').map(String);
      const items = skus.map((sku, i) => ({ sku, quantity: quantities[i], unitPrice: prices[i] }));
      body.order = {
        ref: text('ref'),
        placedAt: text('placedAt'),
        originCountry: text('originCountry'),
        destinationCountry: text('destinationCountry'),
        items,
        total: { amount: total(items), currency: text('currency') },
      };
    }
    if (Object.keys(claim).length) body.claim = claim;
    api
      .post<CaseView>('/v1/cases', body)
      .then((created) => screen.go(`/app/cases/${created.id}`))
      .catch((e: unknown) => say(status, w.failed(problem(e)), true));
  });

  return el('section', {}, [el('h1', { text: w.newCase }), form]);
}
