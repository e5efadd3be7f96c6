package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.ViolationKind;

/**
 * What the tree processor keeps of one allowed use, in {@code ledger-tree-pending-uses} until the
 * next uses flush counted it and in {@code ledger-tree-uses} after, so that a later revocation or
 * budget change can re-judge it: when it happened and the violations it has been flagged with.
 * Stored as the text {@code "<occurred_at millis>;<violation mask>"}.
 *
 * @param occurredAt the use's event time, epoch millis
 * @param mask its violations ({@link Violations#mask})
 */
record StoredUse(long occurredAt, int mask) {

  static StoredUse parse(String stored) {
    int split = stored.indexOf(';');
    return new StoredUse(
        Long.parseLong(stored.substring(0, split)), Integer.parseInt(stored.substring(split + 1)));
  }

  String encode() {
    return occurredAt + ";" + mask;
  }

  boolean has(ViolationKind kind) {
    return Violations.has(mask, kind);
  }

  StoredUse with(ViolationKind kind) {
    return new StoredUse(occurredAt, Violations.with(mask, kind));
  }
}
