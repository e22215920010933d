/**
 * DOM building for the pages. Text goes in through `textContent` only, never as markup, so
 * nothing a case holds (a note, a description, a URL) can inject HTML.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set([
  'svg',
  'rect',
  'text',
  'line',
  'path',
  'g',
  'defs',
  'marker',
  'polygon',
  'title',
]);

type AttrValue = string | number | boolean | null | undefined;
/** Attributes; `text` sets the text content, `onclick` adds a click listener, false/null skip. */
export type Attrs = Record<string, AttrValue | ((event: MouseEvent) => void)>;
export type Child = Node | string | null | undefined;

/** Builds an HTML or SVG element with its attributes and children. */
export function el(tag: string, attrs: Attrs = {}, children: Child[] = []): Element {
  const node = SVG_TAGS.has(tag)
    ? document.createElementNS(SVG_NS, tag)
    : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      if (name !== 'onclick') throw new Error(`only onclick takes a function, not ${name}`);
      node.addEventListener('click', value as EventListener);
    } else if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** The element with this id; throws if the page's HTML lacks it (a bug, not a user error). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node as T;
}

/** The first element matching the selector; throws if there is none. */
export function one<T extends Element = HTMLElement>(
  selector: string,
  root: ParentNode = document,
): T {
  const node = root.querySelector<T>(selector);
  if (!node) throw new Error(`${selector} is missing from the page`);
  return node;
}

/** A table with a header row and the given body rows. */
export function table(headers: string[], rows: Element[]): Element {
  return el('table', {}, [
    el('thead', {}, [
      el(
        'tr',
        {},
        headers.map((h) => el('th', { text: h })),
      ),
    ]),
    el('tbody', {}, rows),
  ]);
}
