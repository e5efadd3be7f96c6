package dev.ledger.streams.internal;

/**
 * The key of an entry of a time index, {@code timeKey(at) + SEP + key}, so that a range up to now
 * finds the entries due: tokens that expire ({@code ledger-tree-expiry}) and event ids that are
 * forgotten ({@code ledger-dedupe-expiry}).
 *
 * @param at when the entry is due, epoch millis
 * @param key what is due: a token's key ({@code tenant/token_id}) or an event's identity key
 */
record ExpiryKey(long at, String key) {

  String encode() {
    return LedgerStores.compose(LedgerStores.timeKey(at), key);
  }

  /** The key {@link #encode} wrote. */
  static ExpiryKey parse(String key) {
    int split = key.indexOf(LedgerStores.SEP);
    return new ExpiryKey(Long.parseLong(key.substring(0, split)), key.substring(split + 1));
  }
}
