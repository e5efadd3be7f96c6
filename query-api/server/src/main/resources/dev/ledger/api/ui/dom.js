// Builds the page from data without ever parsing data as markup: every string a producer or the API supplied
// becomes a text node or an attribute value, never HTML. Nothing here sets a style attribute or an inline handler,
// so the strict Content-Security-Policy holds.

/**
 * Creates an element. props: class, text, dataset (object), on<event> (listener), and any other attribute.
 * Children are nodes or strings (added as text); null, undefined and false are skipped; arrays are flattened.
 */
export function el(tag, props = {}, ...children) {
  return build(document.createElement(tag), props, children);
}

/** The same for SVG elements. */
export function svg(tag, props = {}, ...children) {
  return build(document.createElementNS('http://www.w3.org/2000/svg', tag), props, children);
}

function build(node, props, children) {
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (key === 'class') node.setAttribute('class', value);
    else if (key === 'text') node.textContent = String(value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'style') throw new Error('inline styles are not allowed by the console CSP');
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces every child of node. */
export function replace(node, ...children) {
  node.replaceChildren();
  return build(node, {}, children);
}

/** ISO instant as "2026-11-20 09:30:00 UTC". */
export function utc(iso) {
  return new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$|Z$/, '') + ' UTC';
}

/** A <time>: the instant in the browser's zone, UTC on hover. */
export function time(iso) {
  if (!iso) return el('span', { class: 'muted', text: '—' });
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return el('span', { text: iso });
  return el('time', { datetime: iso, title: utc(iso) },
    date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }));
}

/** A link to a token's view. */
export function tokenLink(id, tenant) {
  return el('a', { href: tokenHref(id, tenant), class: 'token-link' }, id);
}

export function tokenHref(id, tenant) {
  return '#/tokens/' + encodeURIComponent(id) + (tenant ? '?tenant=' + encodeURIComponent(tenant) : '');
}

/** Value of a datetime-local input as an RFC 3339 instant, or '' when empty. */
export function localToIso(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** RFC 3339 instant as the value of a datetime-local input in the browser's zone. */
export function isoToLocal(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:`
    + `${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Saves blob as a file named name, without leaving the page. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, class: 'hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
