package dev.ledger.streams.internal;

import java.time.Instant;

/**
 * A revocation reaching a token: when, and the token revoked ({@code revocation_cause}). Between
 * two the earlier wins, ties to the smaller cause id, so every arrival order ends in the same
 * state.
 */
record Revoked(Instant at, String cause) {

  /** True if this revocation holds over {@code other}; anything beats none (null). */
  boolean beats(Revoked other) {
    return other == null || earlier(at, cause, other.at, other.cause);
  }

  /**
   * True when revocation (a, idA) beats (b, idB): earlier time, ties to the smaller id; anything
   * beats none.
   */
  static boolean earlier(Instant a, String idA, Instant b, String idB) {
    return b == null || a.isBefore(b) || (a.equals(b) && idA.compareTo(idB) < 0);
  }
}
