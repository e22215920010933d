/**
 * The ops page's HTML shell, script and style, served by the app itself (no CDN, no build step:
 * `nest build` ships only compiled TypeScript, so the assets are strings here). The script is a
 * separate file (`/ops/ops.js`) because the CSP allows `script-src 'self'` only; it builds the
 * DOM with `textContent` everywhere, so nothing a case holds can inject markup.
 */

export const OPS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Redress ops</title>
<link rel="stylesheet" href="/ops/ops.css">
<script src="/ops/ops.js" defer></script>
</head>
<body>
<header><h1>Redress ops</h1><span id="who"></span><button id="logout" hidden>Sign out</button></header>
<section id="login" hidden>
  <form id="login-form">
    <label>Ops API key <input id="key" type="password" autocomplete="off" required></label>
    <button type="submit">Sign in</button>
    <p class="hint">The key stays in this tab (sessionStorage) and goes only to this server.</p>
    <p id="login-error" class="error" role="alert"></p>
  </form>
</section>
<main id="app" hidden>
  <form id="filters">
    <label>Status <select name="status"><option value="">any</option><option>open</option><option>closed</option></select></label>
    <label>Type <select name="type"><option value="">any</option></select></label>
    <label>Supplier <input name="supplierId" placeholder="supplier id" size="36"></label>
    <label>Merchant <input name="merchantId" placeholder="merchant id" size="36"></label>
    <label>Breached <select name="breached"><option value="">any</option><option value="true">breached</option><option value="false">not breached</option></select></label>
    <label>Opened from <input type="date" name="openedFrom"></label>
    <label>to <input type="date" name="openedTo"></label>
    <button type="submit">Filter</button>
  </form>
  <p id="list-error" class="error" role="alert"></p>
  <table id="cases"><thead><tr><th>Case</th><th>Type</th><th>State</th><th>Status</th><th>Breach</th><th>Opened</th><th>Updated</th></tr></thead><tbody></tbody></table>
  <button id="more" hidden>More</button>
  <section id="case" hidden></section>
</main>
</body>
</html>
`;

export const OPS_CSS = `
:root { --ok: #137333; --bad: #b3261e; --line: #d0d4da; --mute: #5f6368; --hi: #fbbc04; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #202124; }
header { display: flex; gap: 1rem; align-items: center; padding: .5rem 1rem; background: #202124; color: #fff; }
header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
section, main { padding: 1rem; }
form#filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: end; margin-bottom: .75rem; }
label { display: inline-flex; flex-direction: column; font-size: 12px; color: var(--mute); gap: 2px; }
input, select, button { font: inherit; padding: 4px 6px; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f1f3f4; font-weight: 600; }
#cases tbody tr { cursor: pointer; }
#cases tbody tr:hover, #cases tbody tr.selected { background: #e8f0fe; }
.error { color: var(--bad); }
.hint, .mute { color: var(--mute); font-size: 12px; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; background: #e8eaed; }
.badge.bad, .overdue { background: #fce8e6; color: var(--bad); }
.badge.ok { background: #e6f4ea; color: var(--ok); }
.integrity { font-weight: 600; padding: 4px 8px; border-radius: 4px; display: inline-block; }
.integrity.valid { background: #e6f4ea; color: var(--ok); }
.integrity.invalid { background: #fce8e6; color: var(--bad); }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font-size: 12px; }
h2 { font-size: 1.1rem; } h3 { font-size: 1rem; margin-top: 1.25rem; }
.diagram svg { max-width: 100%; height: auto; border: 1px solid var(--line); background: #fafafa; }
.diagram rect { fill: #fff; stroke: #80868b; }
.diagram rect.final { stroke-width: 3; }
.diagram rect.current { fill: var(--hi); stroke: #202124; stroke-width: 2; }
.diagram text { font-size: 12px; text-anchor: middle; dominant-baseline: middle; }
.diagram line, .diagram path { stroke: #9aa0a6; fill: none; marker-end: url(#arrow); }
.diagram line.from-current, .diagram path.from-current { stroke: #202124; stroke-width: 2; }
`;

export const OPS_JS = String.raw`'use strict';
(function () {
  var KEY = 'redress.opsKey';
  var $ = function (id) { return document.getElementById(id); };
  var state = { cursor: null, query: '', workflows: {}, selected: null };

  /** Builds an element; text goes through textContent only. */
  function el(tag, attrs, children) {
    var node = tag === 'svg' || /^(rect|text|line|path|g|defs|marker|polygon|title)$/.test(tag)
      ? document.createElementNS('http://www.w3.org/2000/svg', tag)
      : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === 'text') node.textContent = String(value);
      else if (name === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(name, String(value));
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function api(path) {
    return fetch(path, { headers: { authorization: 'Bearer ' + sessionStorage.getItem(KEY) } }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        if (res.status === 401) { signOut('The key was refused (401)'); }
        if (!res.ok) throw new Error(res.status + ' ' + (body.error || '') + ': ' + (body.message || ''));
        return body;
      });
    });
  }

  function when(iso) { return iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : ''; }

  function left(iso, firedAt) {
    if (firedAt) return { text: 'fired ' + when(firedAt), late: false };
    var ms = new Date(iso).getTime() - Date.now();
    var abs = Math.abs(ms), d = Math.floor(abs / 86400000), h = Math.floor(abs % 86400000 / 3600000), m = Math.floor(abs % 3600000 / 60000);
    var span = (d ? d + 'd ' : '') + h + 'h ' + m + 'm';
    return ms >= 0 ? { text: span + ' left', late: false } : { text: 'overdue by ' + span, late: true };
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    $('app').hidden = true; $('logout').hidden = true; $('login').hidden = false; $('who').textContent = '';
    $('login-error').textContent = message || '';
  }

  function signedIn() {
    $('login').hidden = true; $('app').hidden = false; $('logout').hidden = false;
    $('who').textContent = 'ops key ' + sessionStorage.getItem(KEY).slice(0, 10) + '…';
    api('/v1/workflows').then(function (body) {
      var select = document.querySelector('#filters select[name=type]');
      (body.items || []).forEach(function (w) { select.appendChild(el('option', { value: w.type, text: w.type })); });
    }).catch(function () {});
    search();
  }

  function search() {
    var form = new FormData($('filters'));
    var params = new URLSearchParams();
    form.forEach(function (value, name) { if (String(value).trim()) params.set(name, String(value).trim()); });
    params.set('limit', '50');
    state.query = params.toString(); state.cursor = null;
    $('cases').querySelector('tbody').textContent = '';
    page();
  }

  function page() {
    var url = '/v1/cases?' + state.query + (state.cursor ? '&cursor=' + encodeURIComponent(state.cursor) : '');
    $('list-error').textContent = '';
    api(url).then(function (body) {
      var tbody = $('cases').querySelector('tbody');
      body.items.forEach(function (c) {
        tbody.appendChild(el('tr', { 'data-case': c.id, onclick: function () { openCase(c.id); } }, [
          el('td', {}, [el('code', { text: c.id.slice(0, 8) })]),
          el('td', { text: c.type }), el('td', { text: c.state }),
          el('td', { text: c.status + (c.outcome ? ' (' + c.outcome + ')' : '') }),
          el('td', {}, [c.breached ? el('span', { class: 'badge bad', text: 'breached' }) : null]),
          el('td', { text: when(c.createdAt) }), el('td', { text: when(c.updatedAt) }),
        ]));
      });
      if (!body.items.length && !state.cursor) tbody.appendChild(el('tr', {}, [el('td', { colspan: 7, class: 'mute', text: 'No case matches.' })]));
      state.cursor = body.nextCursor; $('more').hidden = !body.nextCursor;
    }).catch(function (e) { $('list-error').textContent = e.message; });
  }

  function table(headers, rows) {
    return el('table', {}, [el('thead', {}, [el('tr', {}, headers.map(function (h) { return el('th', { text: h }); }))]), el('tbody', {}, rows)]);
  }

  /** Edges parsed from the Mermaid text: "a --> b: EVENT, ...". */
  function edgesOf(mermaid) {
    var edges = [];
    mermaid.split('\n').forEach(function (line) {
      var m = /^\s*([\w.]+)\s*-->\s*([\w.]+)\s*(?::\s*(.*))?$/.exec(line);
      if (m) edges.push({ from: m[1], to: m[2], label: m[3] || '' });
    });
    return edges;
  }

  /** A layered SVG of the machine: states by distance from the initial ones, current one marked. */
  function diagram(wf, current) {
    var edges = edgesOf(wf.mermaid || '');
    var depth = {};
    var queue = (wf.initialStates || []).slice();
    queue.forEach(function (s) { depth[s] = 0; });
    while (queue.length) {
      var s = queue.shift();
      edges.forEach(function (e) { if (e.from === s && depth[e.to] === undefined) { depth[e.to] = depth[s] + 1; queue.push(e.to); } });
    }
    var layers = [];
    wf.states.forEach(function (s) { var d = depth[s] === undefined ? 0 : depth[s]; (layers[d] = layers[d] || []).push(s); });
    layers = layers.filter(Boolean);
    var W = 170, H = 34, GX = 24, GY = 46, pos = {};
    var width = Math.max.apply(null, layers.map(function (l) { return l.length; })) * (W + GX) + GX;
    layers.forEach(function (layer, row) {
      var offset = (width - layer.length * (W + GX) + GX) / 2;
      layer.forEach(function (s, i) { pos[s] = { x: offset + i * (W + GX), y: GY / 2 + row * (H + GY) }; });
    });
    var isCurrent = function (s) { return current === s || current.indexOf(s + '.') === 0; };
    var height = layers.length * (H + GY);
    var svg = el('svg', { viewBox: '0 0 ' + width + ' ' + height, width: width, height: height, role: 'img', 'aria-label': 'workflow ' + wf.type }, [
      el('defs', {}, [el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' }, [el('path', { d: 'M0,0 L10,5 L0,10 z', style: 'fill:#9aa0a6;stroke:none' })])]),
    ]);
    edges.forEach(function (e) {
      var a = pos[e.from], b = pos[e.to];
      if (!a || !b) return;
      var cls = isCurrent(e.from) ? 'from-current' : null;
      var x1 = a.x + W / 2, x2 = b.x + W / 2;
      var path = b.y > a.y ? 'M' + x1 + ',' + (a.y + H) + ' L' + x2 + ',' + b.y
        : 'M' + (a.x + W) + ',' + (a.y + H / 2) + ' C' + (a.x + W + 40) + ',' + (a.y + H / 2) + ' ' + (b.x + W + 40) + ',' + (b.y + H / 2) + ' ' + (b.x + W) + ',' + (b.y + H / 2);
      svg.appendChild(el('path', { d: path, class: cls }, [el('title', { text: e.from + ' → ' + e.to + ': ' + e.label })]));
    });
    wf.states.forEach(function (s) {
      var p = pos[s];
      var classes = [(wf.finalStates || []).indexOf(s) >= 0 ? 'final' : '', isCurrent(s) ? 'current' : ''].join(' ').trim();
      svg.appendChild(el('g', { 'data-state': s, class: isCurrent(s) ? 'current' : null }, [
        el('rect', { x: p.x, y: p.y, width: W, height: H, rx: 8, class: classes || null }),
        el('text', { x: p.x + W / 2, y: p.y + H / 2, text: s }),
      ]));
    });
    var next = edges.filter(function (e) { return isCurrent(e.from); }).map(function (e) { return el('li', { text: '→ ' + e.to + ': ' + e.label }); });
    return el('div', { class: 'diagram' }, [svg,
      next.length ? el('ul', { class: 'mute' }, next) : null,
      el('details', {}, [el('summary', { text: 'Mermaid source' }), el('pre', { text: wf.mermaid || '' })])]);
  }

  function workflow(type) {
    if (state.workflows[type]) return Promise.resolve(state.workflows[type]);
    return api('/v1/workflows/' + encodeURIComponent(type)).then(function (wf) { state.workflows[type] = wf; return wf; });
  }

  function openCase(id) {
    state.selected = id;
    Array.prototype.forEach.call(document.querySelectorAll('#cases tbody tr'), function (tr) { tr.classList.toggle('selected', tr.getAttribute('data-case') === id); });
    var box = $('case');
    box.hidden = false; box.textContent = 'Loading…';
    Promise.all([api('/v1/cases/' + id), api('/v1/cases/' + id + '/timeline'), api('/v1/cases/' + id + '/notifications')]).then(function (r) {
      var c = r[0], tl = r[1], notes = r[2];
      return workflow(c.type).catch(function () { return null; }).then(function (wf) { render(c, tl, notes, wf); });
    }).catch(function (e) { box.textContent = ''; box.appendChild(el('p', { class: 'error', text: e.message })); });
  }

  function render(c, tl, notes, wf) {
    var box = $('case');
    box.textContent = '';
    var integrity = tl.integrity || {};
    box.appendChild(el('h2', {}, ['Case ', el('code', { text: c.id })]));
    box.appendChild(el('p', {}, [
      el('span', { class: 'badge', text: c.type }), ' ', el('strong', { id: 'case-state', text: c.state }), ' · ',
      c.status + (c.outcome ? ' (' + c.outcome + ')' : '') + ' · version ' + c.version + ' · ',
      c.breached ? el('span', { class: 'badge bad', text: 'breached' }) : el('span', { class: 'badge ok', text: 'no breach' }),
    ]));
    box.appendChild(el('p', { class: 'mute', text: 'merchant ' + c.merchantId + ' · supplier ' + c.supplierId + ' · order ' + ((c.order || {}).ref || '') + ' · opened ' + when(c.createdAt) }));
    if (wf) { box.appendChild(el('h3', { text: 'Workflow' })); box.appendChild(diagram(wf, c.state)); }

    box.appendChild(el('h3', { text: 'Deadlines' }));
    box.appendChild(c.deadlines.length ? table(['Kind', 'Due', 'Time', 'Breach'], c.deadlines.map(function (d) {
      var t = left(d.dueAt, d.firedAt);
      return el('tr', {}, [el('td', { text: d.kind }), el('td', { text: when(d.dueAt) }),
        el('td', { class: t.late ? 'overdue' : null, text: t.text }),
        el('td', {}, [d.breached ? el('span', { class: 'badge bad', text: 'missed' }) : null])]);
    })) : el('p', { class: 'mute', text: 'No deadline.' }));

    box.appendChild(el('h3', { text: 'Evidence' }));
    box.appendChild(c.evidence.length ? el('ul', {}, c.evidence.map(function (e) {
      var safe = /^https:\/\//i.test(e.url);
      return el('li', {}, [el('span', { class: 'badge', text: e.kind }), ' ',
        safe ? el('a', { href: e.url, target: '_blank', rel: 'noopener noreferrer', text: e.url }) : el('code', { text: e.url }),
        e.description ? ' — ' + e.description : '', el('span', { class: 'mute', text: ' ' + when(e.createdAt) })]);
    })) : el('p', { class: 'mute', text: 'No evidence.' }));

    box.appendChild(el('h3', { text: 'Notifications' }));
    var items = notes.items || [];
    box.appendChild(items.length ? table(['Type', 'Party', 'State', 'Attempts', 'Created', 'Delivered / next', 'Last error'], items.map(function (n) {
      var cls = n.state === 'delivered' ? 'badge ok' : n.state === 'failed' ? 'badge bad' : 'badge';
      return el('tr', {}, [el('td', { text: n.type }), el('td', { text: n.party }), el('td', {}, [el('span', { class: cls, text: n.state })]),
        el('td', { text: n.attempts }), el('td', { text: when(n.createdAt) }), el('td', { text: when(n.deliveredAt || n.nextAttemptAt) }), el('td', { text: n.lastError || '' })]);
    })) : el('p', { class: 'mute', text: 'No notification.' }));

    box.appendChild(el('h3', {}, ['Timeline ', el('span', {
      id: 'integrity', class: 'integrity ' + (integrity.valid ? 'valid' : 'invalid'),
      title: 'head ' + (integrity.head || ''),
      text: integrity.valid ? '✔ hash chain intact' : '✘ hash chain broken' + (integrity.brokenAt ? ' at seq ' + integrity.brokenAt : '') + (integrity.problem ? ': ' + integrity.problem : ''),
    })]));
    box.appendChild(table(['Seq', 'At', 'Type', 'Actor', 'From → to', 'Payload'], (tl.events || []).map(function (e) {
      return el('tr', { class: 'entry' }, [el('td', { text: e.seq }), el('td', { text: when(e.at) }), el('td', { text: e.type }),
        el('td', { text: e.actor.kind + (e.actor.id ? ' ' + e.actor.id.slice(0, 8) : '') }),
        el('td', { text: (e.fromState || '∅') + ' → ' + (e.toState || '∅') }),
        el('td', {}, [el('pre', { text: JSON.stringify(e.payload) })])]);
    })));
    box.appendChild(el('p', { class: 'mute' }, ['Chain head ', el('code', { text: integrity.head || '' })]));
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('login-form').addEventListener('submit', function (event) {
      event.preventDefault();
      sessionStorage.setItem(KEY, $('key').value.trim());
      $('key').value = '';
      api('/v1/workflows').then(function () {
        // Any key reads workflows; only an ops key may list every merchant's cases.
        return fetch('/v1/audit/events?caseId=00000000-0000-0000-0000-000000000000', { headers: { authorization: 'Bearer ' + sessionStorage.getItem(KEY) } });
      }).then(function (res) {
        if (res.status === 403) return signOut('This is not an ops key (403)');
        signedIn();
      }).catch(function (e) { signOut(e.message); });
    });
    $('logout').addEventListener('click', function () { signOut(''); });
    $('filters').addEventListener('submit', function (event) { event.preventDefault(); search(); });
    $('more').addEventListener('click', page);
    if (sessionStorage.getItem(KEY)) signedIn(); else signOut('');
  });
})();
`;
