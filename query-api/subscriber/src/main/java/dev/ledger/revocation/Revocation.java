package dev.ledger.revocation;

import dev.ledger.schemas.avro.RevocationNotice;
import java.time.Instant;
import java.util.Objects;

/**
 * One live revocation as a resource server needs it: which token, since when, because of which
 * token's revocation, and until when the notice lives (after {@code expiresAt} the token is expired
 * anyway and the ledger replaces the notice with a tombstone).
 *
 * @param tenant the tenant, never null
 * @param tokenId the revoked token, never null
 * @param revokedAt when the revocation took effect (event time), never null
 * @param revocationCause the token whose revocation reached this one: {@code tokenId} itself, or an
 *     ancestor; never null
 * @param expiresAt when the token expires, or null if it never does
 */
public record Revocation(
    String tenant, String tokenId, Instant revokedAt, String revocationCause, Instant expiresAt) {

  public Revocation {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(revocationCause, "revocationCause");
  }

  /** The fields of a notice from {@code ledger.revocations}; {@code notice} must not be null. */
  public static Revocation of(RevocationNotice notice) {
    return new Revocation(
        notice.getTenant(),
        notice.getTokenId(),
        notice.getRevokedAt(),
        notice.getRevocationCause(),
        notice.getExpiresAt());
  }

  /** True if the token was revoked through an ancestor rather than directly. */
  public boolean inherited() {
    return !revocationCause.equals(tokenId);
  }
}
