// Builds DOM nodes. Text always goes in as text nodes: nothing from the API is ever parsed as HTML.

/**
 * h('a', {href: '#/jobs', class: 'x', onclick: fn}, 'text', child, [more]) → an element.
 * Attributes are set with setAttribute (never "style": the CSP forbids inline styles; use el.style.x).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(undefined, {month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit'});
}

export function fmtClock(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit'});
}

export function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined || seconds < 0 || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function fmtBytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function fmtPercent(p) {
  return `${(Math.round((p ?? 0) * 10) / 10).toFixed(1)}%`;
}

/** A state word as a badge, coloured by its class (state-running, state-failed...). */
export function badge(word, kind = 'state') {
  const text = String(word ?? '—');
  return h('span', {class: `badge ${kind}-${text.toLowerCase()}`}, text);
}

/** A labelled progress bar; its value is updated in place by setProgress. */
export function progressBar(percent, label) {
  const bar = h('progress', {max: '100', value: String(percent ?? 0), 'aria-label': label});
  const text = h('span', {class: 'progress-text'}, fmtPercent(percent));
  return h('span', {class: 'progress'}, bar, text);
}

export function setProgress(wrapper, percent) {
  const bar = wrapper.querySelector('progress');
  const text = wrapper.querySelector('.progress-text');
  if (bar) bar.value = percent ?? 0;
  if (text) text.textContent = fmtPercent(percent);
}

/** A table inside a horizontally scrolling box (narrow screens keep every column). */
export function table(headers, rows, caption) {
  // each cell names its column, for the stacked layout of a phone's screen (td::before in the CSS)
  for (const tr of rows) {
    [...tr.children].forEach((td, i) => { if (typeof headers[i] === 'string') td.dataset.label = headers[i]; });
  }
  return h('div', {class: 'scroll'},
    h('table', {},
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', {scope: 'col'}, x)))),
      h('tbody', {}, rows)));
}

/** A definition list from [term, value] pairs; values may be nodes. Null values are left out. */
export function facts(pairs) {
  return h('dl', {class: 'facts'}, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

export function section(title, ...children) {
  return h('section', {class: 'panel'}, h('h2', {}, title), children);
}

export function errorText(e) {
  return e?.message ?? String(e);
}
