package dev.ledger.streams.internal;

/**
 * The key of one allowed use in the budget of a token with {@code max_uses} ({@code
 * ledger-tree-budgets}): {@code holder + SEP + timeKey(occurredAt) + SEP + eventId}, so that a
 * prefix scan on the holder ranks its uses by event time, ties by event id.
 *
 * @param holder the key ({@code tenant/token}) of the token whose budget counts the use
 * @param occurredAt the use's event time, epoch millis
 * @param eventId the use's event id
 */
record BudgetKey(String holder, long occurredAt, String eventId) {

  String encode() {
    return holder
        + LedgerStores.SEP
        + LedgerStores.timeKey(occurredAt)
        + LedgerStores.SEP
        + eventId;
  }

  /** The key {@link #encode} wrote. */
  static BudgetKey parse(String key) {
    int time = key.indexOf(LedgerStores.SEP);
    int id = key.indexOf(LedgerStores.SEP, time + 1);
    return new BudgetKey(
        key.substring(0, time), Long.parseLong(key.substring(time + 1, id)), key.substring(id + 1));
  }
}
