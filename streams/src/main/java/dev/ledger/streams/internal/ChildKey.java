package dev.ledger.streams.internal;

/**
 * The key of a child waiting on its parent: in {@code ledger-tree-children} (a child defined before
 * its parent was attached) and in stage 1's {@code ledger-waiters} (a child asking for its parent's
 * root): {@code parent + SEP + childId}, so that a prefix scan on the parent finds its children.
 *
 * @param parent the parent's key, {@code tenant/token_id}
 * @param childId the child's token id (same tenant)
 */
record ChildKey(String parent, String childId) {

  String encode() {
    return LedgerStores.compose(parent, childId);
  }

  /** The key {@link #encode} wrote. */
  static ChildKey parse(String key) {
    return new ChildKey(LedgerStores.tokenOf(key), LedgerStores.partOf(key));
  }
}
