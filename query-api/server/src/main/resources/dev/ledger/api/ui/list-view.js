// A filtered, cursor-paged list of one /v1 route (audit records, alerts): filters in the URL so a search can be
// linked to, a table, next and previous pages, and optionally the whole result as NDJSON.
import { el, replace, localToIso, isoToLocal, saveBlob } from './dom.js';
import { errorBox } from './api.js';

const PAGE = 50;

/**
 * @param spec {id, title, path, fields: [{name, label, type?: 'text'|'select'|'datetime', options?, hint?}],
 *              columns: [{label, cell(item, tenant)}], empty, download?: {label, prefix}}
 */
export function listView(ctx, spec) {
  const view = new ListView(ctx, spec);
  view.search(null);
  return view;
}

class ListView {
  constructor(ctx, spec) {
    this.ctx = ctx;
    this.spec = spec;
    this.cursors = [null];
    this.inputs = new Map();
    const form = el('form', { class: 'filters', id: spec.id + '-form', 'aria-label': spec.title + ' filters',
      onsubmit: (e) => { e.preventDefault(); this.submit(); } },
    spec.fields.map((f) => this.field(f)),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', id: spec.id + '-search', text: 'Search' }),
      el('button', { type: 'button', class: 'secondary', text: 'Clear', onclick: () => this.clear() }),
      spec.download && el('button', { type: 'button', class: 'secondary', id: spec.id + '-download',
        text: spec.download.label, onclick: () => this.download() })));
    this.status = el('div', { class: 'list-status', role: 'status', 'aria-live': 'polite' });
    this.result = el('div', { class: 'table-wrap', id: spec.id + '-results' });
    this.pager = el('div', { class: 'pager' },
      this.prev = el('button', { type: 'button', text: '← Newer', disabled: true, onclick: () => this.page(-1) }),
      this.next = el('button', { type: 'button', id: spec.id + '-next', text: 'Older →', disabled: true,
        onclick: () => this.page(1) }));
    replace(ctx.main, el('h1', { tabindex: '-1', text: spec.title }), form, this.status, this.result, this.pager);
  }

  field(f) {
    const id = `${this.spec.id}-${f.name}`;
    const value = this.ctx.params.get(f.name) ?? '';
    let input;
    if (f.type === 'select') {
      input = el('select', { id, name: f.name }, el('option', { value: '', text: 'any' }),
        f.options.map((o) => el('option', { value: o, text: o, selected: o === value })));
    } else if (f.type === 'datetime') {
      input = el('input', { id, name: f.name, type: 'datetime-local', step: '1', value: isoToLocal(value) });
    } else {
      input = el('input', { id, name: f.name, value, autocomplete: 'off', spellcheck: 'false', placeholder: f.hint });
    }
    this.inputs.set(f.name, { input, type: f.type });
    return el('div', { class: 'field' }, el('label', { for: id, text: f.label }), input);
  }

  /** The filters as the API's parameters. */
  filters() {
    const params = {};
    for (const [name, { input, type }] of this.inputs) {
      const value = type === 'datetime' ? localToIso(input.value) : input.value.trim();
      if (value) params[name] = value;
    }
    return params;
  }

  submit() {
    const query = new URLSearchParams(this.filters());
    if (this.ctx.tenant) query.set('tenant', this.ctx.tenant);
    const hash = '#/' + this.spec.id + (query.toString() ? '?' + query : '');
    if (location.hash === hash) {
      this.cursors = [null];
      this.search(null);
    } else {
      this.ctx.navigate(hash);
    }
  }

  clear() {
    for (const { input } of this.inputs.values()) input.value = '';
    this.submit();
  }

  page(delta) {
    if (delta > 0) this.cursors.push(this.nextCursor);
    else this.cursors.pop();
    this.search(this.cursors[this.cursors.length - 1]);
  }

  async search(cursor) {
    const { api, tenant } = this.ctx;
    this.prev.disabled = this.next.disabled = true;
    replace(this.status, 'Searching …');
    try {
      const page = await api.get(this.spec.path, { ...this.filters(), tenant, limit: PAGE, cursor });
      this.nextCursor = page.next_cursor;
      const n = this.cursors.length;
      const noun = page.items.length === 1 ? this.spec.noun.replace(/s$/, '') : this.spec.noun;
      replace(this.status, page.items.length ? `Page ${n}: ${page.items.length} ${noun}, newest first`
        + (page.next_cursor ? '; older ones on the next page.' : '.') : this.spec.empty);
      this.table(page.items);
      this.prev.disabled = n <= 1;
      this.next.disabled = !page.next_cursor;
    } catch (e) {
      replace(this.status, errorBox(e, 'Search'));
      replace(this.result);
    }
  }

  table(items) {
    const tenant = this.ctx.tenant;
    replace(this.result, items.length ? el('table', { class: 'list' },
      el('thead', {}, el('tr', {}, this.spec.columns.map((c) => el('th', { scope: 'col', text: c.label })))),
      el('tbody', {}, items.map((item) => el('tr', {},
        this.spec.columns.map((c) => el('td', { dataset: { col: c.label } },
          el('div', {}, c.cell(item, item.tenant ?? tenant)))))))) : null);
  }

  async download() {
    const { api, tenant } = this.ctx;
    replace(this.status, 'Downloading …');
    try {
      const response = await api.fetch(this.spec.path, { ...this.filters(), tenant, format: 'ndjson' },
        { headers: { Accept: 'application/x-ndjson' } });
      const blob = await response.blob();
      const text = await blob.text();
      const count = text ? text.split('\n').filter((l) => l.trim()).length : 0;
      const name = `${this.spec.download.prefix}-${tenant || 'own'}-${new Date().toISOString().replace(/[:.]/g, '')}.ndjson`;
      saveBlob(new Blob([text], { type: 'application/x-ndjson' }), name);
      replace(this.status, el('span', { id: this.spec.id + '-downloaded', dataset: { count } },
        `Downloaded ${count} ${this.spec.noun} as ${name}.`));
    } catch (e) {
      replace(this.status, errorBox(e, 'Download'));
    }
  }
}
