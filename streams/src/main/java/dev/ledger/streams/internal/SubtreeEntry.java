package dev.ledger.streams.internal;

import java.time.Instant;

/**
 * The value of a token's entry in {@code ledger-tree-subtrees}: what a cascade needs to notify the
 * token without decoding its node. Its expiry goes into the notice; the mark of a revocation of its
 * own tells the cascade where an earlier revocation may already hold (only marked tokens cost a
 * revocation lookup).
 *
 * <p>Encoded as {@code "-"} (no expiry) or the expiry in epoch millis, followed by {@code "!"} when
 * the token has a revocation of its own.
 *
 * @param expiresAt the token's effective expiry, or null if it never expires
 * @param ownRevocation true once a {@code token.revoked} names this token
 */
public record SubtreeEntry(Instant expiresAt, boolean ownRevocation) {

  private static final String NO_EXPIRY = "-";
  private static final char OWN_REVOCATION = '!';

  /** This entry with the own-revocation mark set. */
  public SubtreeEntry withOwnRevocation() {
    return new SubtreeEntry(expiresAt, true);
  }

  public String encode() {
    String expiry = expiresAt == null ? NO_EXPIRY : Long.toString(expiresAt.toEpochMilli());
    return ownRevocation ? expiry + OWN_REVOCATION : expiry;
  }

  /** The entry encoded in {@code value} (by {@link #encode}). */
  public static SubtreeEntry parse(String value) {
    boolean own = value.charAt(value.length() - 1) == OWN_REVOCATION;
    String expiry = own ? value.substring(0, value.length() - 1) : value;
    return new SubtreeEntry(
        NO_EXPIRY.equals(expiry) ? null : Instant.ofEpochMilli(Long.parseLong(expiry)), own);
  }
}
