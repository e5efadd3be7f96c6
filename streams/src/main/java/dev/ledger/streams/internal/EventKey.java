package dev.ledger.streams.internal;

/**
 * The key of one event of a token where it is stored to wait or to be re-judged ({@code
 * ledger-parked}, {@code ledger-tree-waiting}, {@code -uses}, {@code -pending-uses}): {@code token
 * + SEP + eventId}, so that a prefix scan on the token finds its events.
 *
 * @param token the token's key, {@code tenant/token_id}
 * @param eventId the event's id
 */
record EventKey(String token, String eventId) {

  String encode() {
    return LedgerStores.compose(token, eventId);
  }

  /** The key {@link #encode} wrote. */
  static EventKey parse(String key) {
    return new EventKey(LedgerStores.tokenOf(key), LedgerStores.partOf(key));
  }
}
