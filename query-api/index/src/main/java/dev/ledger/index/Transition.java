package dev.ledger.index;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a token's history ({@code GET /v1/tokens/{id}/history}): a change of its authority
 * or a use of it, with when it happened and when the ledger recorded it.
 *
 * @param kind what happened
 * @param occurredAt event time (for {@link Kind#expired}: the effective {@code expires_at})
 * @param recordedAt record time of the event; for a violation added by an amendment, when the
 *     ledger re-judged it; for {@link Kind#expired}, the record time of the token's definition,
 *     which said when it would expire
 * @param tokenId the token the event named: the token itself, or the ancestor whose revocation
 *     reached it
 * @param violation the kind of a {@link Kind#violation}, else null
 * @param record the audit record of the event (null for {@link Kind#expired})
 */
public record Transition(
    Kind kind,
    Instant occurredAt,
    Instant recordedAt,
    String tokenId,
    ViolationKind violation,
    AuditRecord record) {

  /** What a transition is. */
  public enum Kind {
    issued,
    exchanged,
    attenuated,
    used,
    revoked,
    expired,
    violation
  }

  public Transition {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }
}
