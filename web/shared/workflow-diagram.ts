import type { WorkflowDescription } from './api-types';
import { el } from './dom';

export interface Edge {
  from: string;
  to: string;
  label: string;
  /** The text as the API wrote it, guards in words included (`REFUNDED [in full]`). */
  raw: string;
}

/**
 * An arrow's events as people read them: GET /v1/workflows/:type says each guard in words
 * (`REFUNDED [in full]`), kept; an event named twice with the same words is named once.
 */
export function readableLabel(label: string): string {
  const events = label
    .split(',')
    .map((part) => part.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return [...new Set(events)].join(', ');
}

/** Edges parsed from the Mermaid text: "a --> b: EVENT, ...", labelled by {@link readableLabel}. */
export function edgesOf(mermaid: string): Edge[] {
  const edges: Edge[] = [];
  for (const line of mermaid.split('\n')) {
    const m = /^\s*([\w.]+)\s*-->\s*([\w.]+)\s*(?::\s*(.*))?$/.exec(line);
    if (m) edges.push({ from: m[1], to: m[2], label: readableLabel(m[3] ?? ''), raw: m[3] ?? '' });
  }
  return edges;
}

const W = 170;
const H = 34;
const GX = 24;
const GY = 46;

/** Rows of states by their distance from the initial ones (unreached states on the first row). */
function layers(wf: WorkflowDescription, edges: Edge[]): string[][] {
  const depth = new Map<string, number>();
  const queue = [...(wf.initialStates ?? [])];
  for (const s of queue) depth.set(s, 0);
  while (queue.length) {
    const s = queue.shift()!;
    for (const e of edges) {
      if (e.from === s && !depth.has(e.to)) {
        depth.set(e.to, depth.get(s)! + 1);
        queue.push(e.to);
      }
    }
  }
  const rows: string[][] = [];
  for (const s of wf.states) (rows[depth.get(s) ?? 0] ??= []).push(s);
  return rows.filter(Boolean);
}

/** The diagram's own words, for a page in another language than English. */
export interface DiagramWords {
  /** The SVG's accessible name, given the case type. */
  label: (type: string) => string;
  source: string;
  /** A state's name in the page's language (the code stays in a tooltip); else the code. */
  state?: (state: string) => string;
  /** An edge's text in the page's language, from its raw text (`REFUNDED [in full]` -> words). */
  edge?: (label: string) => string;
}
const ENGLISH: DiagramWords = { label: (type) => `workflow ${type}`, source: 'Mermaid source' };

/** A layered SVG of the machine, the current state (or its parent) marked, its exits listed. */
export function workflowDiagram(
  wf: WorkflowDescription,
  current: string,
  words: DiagramWords = ENGLISH,
): Element {
  const edges = edgesOf(wf.mermaid ?? '');
  const rows = layers(wf, edges);
  const width = Math.max(...rows.map((row) => row.length)) * (W + GX) + GX;
  const height = rows.length * (H + GY);
  const pos = new Map<string, { x: number; y: number }>();
  rows.forEach((row, r) => {
    const offset = (width - row.length * (W + GX) + GX) / 2;
    row.forEach((s, i) => pos.set(s, { x: offset + i * (W + GX), y: GY / 2 + r * (H + GY) }));
  });
  const isCurrent = (s: string) => current === s || current.startsWith(`${s}.`);

  const svg = el(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: 'img',
      'aria-label': words.label(wf.type),
    },
    [
      el('defs', {}, [
        el(
          'marker',
          {
            id: 'arrow',
            viewBox: '0 0 10 10',
            refX: 10,
            refY: 5,
            markerWidth: 6,
            markerHeight: 6,
            orient: 'auto-start-reverse',
          },
          [el('path', { d: 'M0,0 L10,5 L0,10 z' })],
        ),
      ]),
    ],
  );
  for (const e of edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + W / 2;
    const x2 = b.x + W / 2;
    // Down to a later row: a straight line; back up or sideways: a curve round the right side.
    const d =
      b.y > a.y
        ? `M${x1},${a.y + H} L${x2},${b.y}`
        : `M${a.x + W},${a.y + H / 2} C${a.x + W + 40},${a.y + H / 2} ` +
          `${b.x + W + 40},${b.y + H / 2} ${b.x + W},${b.y + H / 2}`;
    svg.appendChild(
      el('path', { d, class: isCurrent(e.from) ? 'from-current' : null }, [
        el('title', { text: `${e.from} → ${e.to}: ${e.label}` }),
      ]),
    );
  }
  for (const s of wf.states) {
    const p = pos.get(s)!;
    const classes = [
      (wf.finalStates ?? []).includes(s) ? 'final' : '',
      isCurrent(s) ? 'current' : '',
    ]
      .join(' ')
      .trim();
    svg.appendChild(
      el('g', { 'data-state': s, class: isCurrent(s) ? 'current' : null }, [
        words.state ? el('title', { text: s }) : null,
        el('rect', { x: p.x, y: p.y, width: W, height: H, rx: 8, class: classes || null }),
        el('text', { x: p.x + W / 2, y: p.y + H / 2, text: words.state ? words.state(s) : s }),
      ]),
    );
  }
  const next = edges
    .filter((e) => isCurrent(e.from))
    .map((e) =>
      words.state || words.edge
        ? el('li', {
            title: `${e.to}: ${e.raw}`,
            text: `→ ${words.state ? words.state(e.to) : e.to} — ${words.edge ? words.edge(e.raw) : e.label}`,
          })
        : el('li', { text: `→ ${e.to}: ${e.label}` }),
    );
  return el('div', { class: 'diagram' }, [
    svg,
    next.length ? el('ul', { class: 'mute' }, next) : null,
    el('details', {}, [
      el('summary', { text: words.source }),
      el('pre', { text: wf.mermaid ?? '' }),
    ]),
  ]);
}
