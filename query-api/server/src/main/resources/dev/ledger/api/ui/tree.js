// The tree a token view draws, and where each box goes. Pure functions over the API's token answers.

/** Beyond these a subtree is folded into one box that says how much it holds. */
export const LIMITS = { children: 8, depth: 3, nodes: 150, step: 24 };

/** Box size, the gap between layers and the gap between siblings, in pixels; the style sheet gives .node this size. */
export const BOX = { w: 250, h: 172, layerGap: 56, siblingGap: 16 };

/** @return Map parent id -> child ids (sorted), from the descendants' parent_id */
export function childrenIndex(descendants) {
  const index = new Map();
  for (const t of descendants) {
    if (!t.parent_id) continue;
    if (!index.has(t.parent_id)) index.set(t.parent_id, []);
    index.get(t.parent_id).push(t.token_id);
  }
  for (const ids of index.values()) ids.sort();
  return index;
}

/** @return Map id -> number of descendants below it, for every token under rootId (each visited once) */
export function subtreeSizes(rootId, childrenOf) {
  const order = [];
  const seen = new Set([rootId]);
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop();
    order.push(id);
    for (const c of childrenOf.get(id) ?? []) {
      if (!seen.has(c)) { seen.add(c); stack.push(c); }
    }
  }
  const size = new Map();
  for (let i = order.length - 1; i >= 0; i--) {
    let n = 0;
    for (const c of childrenOf.get(order[i]) ?? []) n += 1 + (size.get(c) ?? 0);
    size.set(order[i], n);
  }
  return size;
}

/**
 * The visible tree: the chain from the root down to the focus token (one box per hop), then the focus token's
 * subtree, breadth first. A token shows at most LIMITS.children children, none at LIMITS.depth levels below the focus,
 * and LIMITS.nodes boxes in all, unless the user unfolded it (expanded: Map id -> children to show); the rest of its
 * children become one fold box with their count and how many tokens they hold.
 *
 * @param chainIds root first, ending with focusId
 * @return the root of {id, children: [], fold?: {parentId, hidden, descendants}}
 */
export function visibleTree(chainIds, focusId, childrenOf, sizes, expanded, limits = LIMITS) {
  const root = { id: chainIds[0], children: [] };
  let node = root;
  for (const id of chainIds.slice(1)) {
    const child = { id, children: [] };
    node.children.push(child);
    node = child;
  }
  let budget = limits.nodes;
  const queue = [[node, 0]];
  const seen = new Set(chainIds);
  while (queue.length) {
    const [parent, depth] = queue.shift();
    const kids = (childrenOf.get(parent.id) ?? []).filter((k) => !seen.has(k));
    if (!kids.length) continue;
    let shown = expanded.get(parent.id);
    if (shown == null) shown = Math.min(depth >= limits.depth ? 0 : limits.children, Math.max(budget, 0));
    shown = Math.min(shown, kids.length);
    budget -= shown;
    for (const id of kids.slice(0, shown)) {
      seen.add(id);
      const child = { id, children: [] };
      parent.children.push(child);
      queue.push([child, depth + 1]);
    }
    const hidden = kids.slice(shown);
    if (hidden.length) {
      const descendants = hidden.reduce((n, id) => n + 1 + (sizes.get(id) ?? 0), 0);
      parent.children.push({ id: 'fold:' + parent.id, children: [], fold: { parentId: parent.id, shown,
        hidden: hidden.length, descendants } });
    }
  }
  return root;
}

/**
 * A layered layout, left to right like a chain reads: one column per depth, leaves top to bottom in tree order, each
 * parent level with the middle of its children. A deep chain fits a wide screen, a wide fan-out scrolls down.
 * @return {boxes: [{node, x, y, parent}], width, height}, boxes in tree (pre-)order
 */
export function layout(root, box = BOX) {
  const boxes = [];
  let nextLeaf = 0;
  let maxDepth = 0;
  const place = (node, depth, parent) => {
    const entry = { node, parent, x: depth * (box.w + box.layerGap), y: 0 };
    boxes.push(entry);
    maxDepth = Math.max(maxDepth, depth);
    if (!node.children.length) {
      entry.y = nextLeaf++ * (box.h + box.siblingGap);
    } else {
      const kids = node.children.map((c) => place(c, depth + 1, entry));
      entry.y = (kids[0].y + kids[kids.length - 1].y) / 2;
    }
    return entry;
  };
  place(root, 0, null);
  return { boxes, width: (maxDepth + 1) * (box.w + box.layerGap) - box.layerGap,
    height: Math.max(nextLeaf, 1) * (box.h + box.siblingGap) - box.siblingGap };
}
