package dev.ledger.streams.internal;

/**
 * An entry of stage 1's sweep index ({@code ledger-due}): what the sweep looks at once the grace is
 * over, unless the token resolved by then. Encoded {@code timeKey(at) + SEP + token + SEP +
 * eventId} for a parked event and {@code ... + SEP + SEP + childId} for a waiting child (no event
 * id is empty or contains U+0000), so that a range up to now finds the entries due.
 */
sealed interface DueEntry {

  /** Wall-clock millis after which the entry is due. */
  long at();

  /** The key ({@code tenant/token_id}) of the token the entry waits on. */
  String token();

  /** A use or revocation parked on {@code token}: judged without a chain if still there. */
  record ParkedEvent(long at, String token, String eventId) implements DueEntry {}

  /** A child asking {@code token}, never seen, for its root: an orphan if still waiting. */
  record WaitingChild(long at, String token, String childId) implements DueEntry {}

  default String encode() {
    String part =
        switch (this) {
          case ParkedEvent e -> e.eventId();
          case WaitingChild c -> LedgerStores.SEP + c.childId();
        };
    return LedgerStores.timeKey(at()) + LedgerStores.SEP + token() + LedgerStores.SEP + part;
  }

  /** The entry {@link #encode} wrote. */
  static DueEntry parse(String key) {
    int token = key.indexOf(LedgerStores.SEP);
    int part = key.indexOf(LedgerStores.SEP, token + 1);
    long at = Long.parseLong(key.substring(0, token));
    String tokenKey = key.substring(token + 1, part);
    return key.startsWith(LedgerStores.SEP, part + 1)
        ? new WaitingChild(at, tokenKey, key.substring(part + 2))
        : new ParkedEvent(at, tokenKey, key.substring(part + 1));
  }
}
