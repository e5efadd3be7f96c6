// Draws a laid-out token tree as HTML boxes over SVG edges. Each token is a link (click or Enter opens it), each fold a
// button, so the graph is usable by keyboard and readable by screen readers; tab order is tree order.
import { el, svg, time, tokenHref, replace } from './dom.js';
import { BOX, layout } from './tree.js';

export class Graph {
  /**
   * @param container where the graph goes
   * @param options {tenant, focusId, onUnfold(fold)}
   */
  constructor(container, options) {
    this.container = container;
    this.options = options;
    this.elements = new Map();
  }

  /** Draws root (from visibleTree); token(id) gives the API answer (or a placeholder) of a visible token. */
  draw(root, token) {
    this.token = token;
    const { boxes, width, height } = layout(root);
    const edges = svg('svg', { class: 'edges', width, height, 'aria-hidden': 'true' });
    for (const b of boxes) {
      if (!b.parent) continue;
      const x1 = b.parent.x + BOX.w;
      const y1 = b.parent.y + BOX.h / 2;
      const x2 = b.x;
      const y2 = b.y + BOX.h / 2;
      const mid = (x1 + x2) / 2;
      edges.append(svg('path', { d: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`,
        class: 'edge' + (b.node.fold ? ' edge-fold' : '') }));
    }
    const canvas = el('div', { class: 'graph-canvas', role: 'list', 'aria-label': 'delegation tree' });
    canvas.style.width = width + 'px';
    canvas.style.height = height + 'px';
    canvas.append(edges);
    this.elements.clear();
    for (const b of boxes) {
      const box = b.node.fold ? this.foldBox(b.node.fold) : this.tokenBox(b.node.id);
      box.style.left = b.x + 'px';
      box.style.top = b.y + 'px';
      canvas.append(box);
      if (!b.node.fold) this.elements.set(b.node.id, box);
    }
    replace(this.container, canvas);
  }

  /** @return true when tokenId has a box on screen */
  shows(tokenId) {
    return this.elements.has(tokenId);
  }

  /** Redraws one token's box after its answer changed (a live revocation). */
  refresh(tokenId) {
    const old = this.elements.get(tokenId);
    if (!old) return;
    const box = this.tokenBox(tokenId);
    box.style.left = old.style.left;
    box.style.top = old.style.top;
    const hadFocus = document.activeElement === old;
    old.replaceWith(box);
    this.elements.set(tokenId, box);
    if (hadFocus) box.focus();
  }

  tokenBox(id) {
    const t = this.token(id);
    const status = t.status || 'unknown';
    const current = id === this.options.focusId;
    return el('a', {
      class: `node status-${status}` + (current ? ' node-current' : ''),
      href: tokenHref(id, this.options.tenant),
      role: 'listitem',
      'aria-current': current ? 'page' : null,
      'aria-label': `${id}, held by ${t.actor ?? 'unknown'}, ${status}`,
      dataset: { tokenId: id, status },
    }, nodeLines(t));
  }

  foldBox(fold) {
    const more = fold.shown ? `+${fold.hidden} more` : `${fold.hidden} folded`;
    return el('button', {
      type: 'button', class: 'node fold', role: 'listitem',
      dataset: { foldOf: fold.parentId, hidden: fold.hidden, descendants: fold.descendants },
      'aria-label': `Unfold ${fold.hidden} more children of ${fold.parentId} (${fold.descendants} tokens in all)`,
      onclick: () => this.options.onUnfold(fold),
    },
    el('span', { class: 'fold-count', text: more }),
    el('span', { class: 'node-line', text: `${fold.hidden} ${fold.hidden === 1 ? 'child' : 'children'} of ${fold.parentId}` }),
    el('span', { class: 'node-line', text: `${fold.descendants} tokens in these subtrees` }),
    el('span', { class: 'node-line hint', text: 'click to unfold' }));
  }
}

function line(cls, label, ...value) {
  return el('span', { class: 'node-line ' + cls }, el('span', { class: 'k', text: label }), ' ', ...value);
}

/** One box's lines: everything the issue asks a node to show. */
export function nodeLines(t) {
  if (t.missing) {
    return [el('span', { class: 'node-id', text: t.token_id }), line('node-holder', 'holder', t.actor ?? '?'),
      line('node-via', 'via', t.via ?? '?'), el('span', { class: 'node-line muted', text: t.missing })];
  }
  const uses = t.max_uses != null ? `${t.uses} of ${t.max_uses}` : String(t.uses ?? 0);
  return [
    el('span', { class: 'node-id', text: t.token_id, title: t.token_id }),
    line('node-holder', 'holder', t.actor ?? '—'),
    line('node-principal', 'for', t.principal ?? '—'),
    line('node-via', 'via', t.via ?? '—', el('span', { class: 'k' }, ' · uses '), el('span', { class: 'node-uses', text: uses })),
    line('node-scopes', 'scopes', (t.scopes ?? []).join(' ') || '—'),
    line('node-audience', 'aud', (t.audience ?? []).join(' ') || '—'),
    line('node-expiry', 'expires', t.expires_at ? time(t.expires_at) : 'never'),
    el('span', { class: 'node-line node-status' }, statusText(t)),
    (t.violations ?? []).length
      ? el('span', { class: 'node-line node-violations', text: '⚠ ' + t.violations.join(', ') })
      : el('span', { class: 'node-line muted', text: 'no violations' }),
  ];
}

/** "revoked by tok-flights at ...", "expired", "pending: parent not yet known". */
export function statusText(t) {
  switch (t.status) {
    case 'revoked':
      return [el('strong', { text: 'REVOKED' }),
        t.revocation_cause && t.revocation_cause !== t.token_id ? ` through ${t.revocation_cause}` : ' itself'];
    case 'expired': return el('strong', { text: 'EXPIRED' });
    case 'pending': return [el('strong', { text: 'PENDING' }), ' parent not yet known'];
    default: return el('strong', { text: (t.status ?? 'unknown').toUpperCase() });
  }
}
