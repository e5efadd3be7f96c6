// #/tokens/{id}?tenant=T: the chain from the root to the token and the token's subtree as a graph, live.
import { el, replace, time, tokenHref, tokenLink } from './dom.js';
import { errorBox } from './api.js';
import { Graph, statusText } from './graph.js';
import { childrenIndex, subtreeSizes, visibleTree, LIMITS } from './tree.js';

/** Descendants beyond this many are not loaded; the view says so. */
const MAX_DESCENDANTS = 10_000;

export function tokenView(ctx, id) {
  if (!id) return openForm(ctx);
  const view = new TokenView(ctx, id);
  view.load();
  return view;
}

function openForm(ctx) {
  const input = el('input', { id: 'open-token', name: 'token', required: true, autocomplete: 'off',
    spellcheck: 'false', placeholder: 'tok-…' });
  replace(ctx.main,
    el('h1', { tabindex: '-1', text: 'Open a token' }),
    el('form', { class: 'filters', id: 'open-token-form', onsubmit: (e) => {
      e.preventDefault();
      ctx.navigate(tokenHref(input.value.trim(), ctx.tenant));
    } }, el('label', { for: 'open-token', text: 'Token id' }), input,
    el('button', { type: 'submit', text: 'Open' })),
    el('p', { class: 'hint', text: 'Shows the chain from its root, its whole subtree, and revocations as they happen.' }));
  return {};
}

class TokenView {
  constructor(ctx, id) {
    this.ctx = ctx;
    this.id = id;
    this.tokens = new Map();
    this.expanded = new Map();
    this.status = el('p', { class: 'muted', role: 'status', text: 'Loading ' + id + ' …' });
    this.summary = el('section', { class: 'summary', 'aria-label': 'token details' });
    this.graphBox = el('div', { class: 'graph', id: 'graph' });
    replace(ctx.main, el('h1', { tabindex: '-1' }, 'Token ', el('code', { text: id })), this.status,
      this.summary, legend(), this.graphBox);
  }

  async load() {
    const { api, tenant } = this.ctx;
    try {
      const token = await api.get('/tokens/' + encodeURIComponent(this.id), { tenant });
      const hops = token.chain ?? [];
      // Each hop's own answer, for its principal, rights and status; a hop that cannot be read keeps what the chain says.
      const ancestors = await Promise.all(hops.slice(0, -1).map((hop) =>
        api.get('/tokens/' + encodeURIComponent(hop.token_id), { tenant })
          .catch((e) => ({ token_id: hop.token_id, actor: hop.actor, missing: 'details unavailable: ' + e.message }))));
      for (const [i, t] of [...ancestors, token].entries()) {
        t.via = hops[i]?.via;
        this.tokens.set(t.token_id, t);
      }
      this.chainIds = hops.length ? hops.map((h) => h.token_id) : [token.token_id];
      const descendants = await this.descendants(api, tenant);
      for (const d of descendants) {
        d.via = d.chain?.[d.chain.length - 1]?.via;
        this.tokens.set(d.token_id, d);
      }
      this.childrenOf = childrenIndex(descendants);
      this.sizes = subtreeSizes(this.id, this.childrenOf);
      this.graph = new Graph(this.graphBox, { tenant, focusId: this.id, onUnfold: (fold) => this.unfold(fold) });
      this.drawSummary();
      this.draw();
      replace(this.status, describe(descendants.length, this.truncated));
    } catch (e) {
      replace(this.status);
      this.status.append(errorBox(e, 'Loading token ' + this.id));
    }
  }

  async descendants(api, tenant) {
    const all = [];
    let cursor = null;
    do {
      const page = await api.get('/tokens/' + encodeURIComponent(this.id) + '/descendants',
        { tenant, limit: 1000, cursor });
      all.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor && all.length < MAX_DESCENDANTS);
    this.truncated = Boolean(cursor);
    return all;
  }

  draw() {
    const root = visibleTree(this.chainIds, this.id, this.childrenOf, this.sizes, this.expanded);
    this.graph.draw(root, (id) => this.tokens.get(id) ?? { token_id: id, missing: 'not loaded' });
  }

  unfold(fold) {
    this.expanded.set(fold.parentId, fold.shown + Math.max(LIMITS.step, LIMITS.children));
    this.draw();
    const first = this.graphBox.querySelector(`[data-fold-of="${CSS.escape(fold.parentId)}"]`)
      ?? this.graphBox.querySelector('.node-current');
    first?.focus();
  }

  drawSummary() {
    const t = this.tokens.get(this.id);
    const rows = [
      ['principal', t.principal], ['holder', t.actor], ['via', t.via], ['tenant', t.tenant],
      ['root', t.root_id && tokenLink(t.root_id, this.ctx.tenant)],
      ['parent', t.parent_id ? tokenLink(t.parent_id, this.ctx.tenant) : 'none (a root)'],
      ['depth', t.depth], ['scopes', (t.scopes ?? []).join(' ')], ['audience', (t.audience ?? []).join(' ')],
      ['expires', t.expires_at ? time(t.expires_at) : 'never'],
      ['uses', t.max_uses != null ? `${t.uses} of at most ${t.max_uses}` : t.uses],
      ['status', statusText(t)], ['revoked at', t.revoked_at && time(t.revoked_at)],
      ['violations', (t.violations ?? []).join(', ') || 'none'],
    ];
    replace(this.summary, el('dl', {}, rows.filter(([, v]) => v != null && v !== '')
      .map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', {}, v)))));
    this.summary.dataset.status = t.status;
  }

  /** A live notice: the token, if loaded, becomes revoked; its box and the summary redraw. */
  onRevocation(notice) {
    const t = this.tokens.get(notice.token_id);
    if (!t || (notice.tenant && t.tenant && notice.tenant !== t.tenant)) return false;
    Object.assign(t, { status: 'revoked', revoked_at: notice.revoked_at, revocation_cause: notice.revocation_cause });
    this.graph?.refresh(notice.token_id);
    if (notice.token_id === this.id) this.drawSummary();
    return true;
  }
}

function describe(count, truncated) {
  const text = count === 0 ? 'No descendants.'
    : `${count} descendant${count === 1 ? '' : 's'}${truncated ? ` loaded (the first ${MAX_DESCENDANTS}; there are more)` : ''}. `
      + `Beyond ${LIMITS.children} children or ${LIMITS.depth} levels a subtree is folded: unfold it with its box.`;
  return el('span', { text });
}

function legend() {
  return el('ul', { class: 'legend', 'aria-label': 'legend' },
    ['active', 'revoked', 'expired', 'pending'].map((s) => el('li', { class: 'status-' + s, text: s })));
}
