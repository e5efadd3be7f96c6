package dev.ledger.index.internal;

import dev.ledger.index.PointInTime;
import dev.ledger.index.Transition;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.avro.AuditAmendment;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A token as it stood at a point in time (CONTRACT.md section 4, v1.8), from its document (chain,
 * rights, issue and expiry times, which never change) and the audit records of the events that
 * count at that time: its chain's revocations, its uses, its violations.
 *
 * <p>The revocation in force is chosen as Streams chooses it (TokenAnswers): the earliest by event
 * time, then by token id, among the revocations of the tokens of the chain, here only those that
 * count. Status precedence is Streams' too: revoked, then expired (only after {@code expires_at},
 * as {@code use_after_expiry} judges), then active.
 */
public final class PointInTimeAnswers {

  private PointInTimeAnswers() {}

  /**
   * The revocation in force among {@code revocations} (audit records of token.revoked), or null.
   */
  public static AuditRecord earliest(Collection<AuditRecord> revocations) {
    AuditRecord best = null;
    for (AuditRecord r : revocations) {
      if (best == null
          || r.getOccurredAt().isBefore(best.getOccurredAt())
          || (r.getOccurredAt().equals(best.getOccurredAt())
              && r.getTokenId().compareTo(best.getTokenId()) < 0)) {
        best = r;
      }
    }
    return best;
  }

  /**
   * True when {@code node} was issued by {@code time} (and, with known_at, its definition recorded
   * by then).
   */
  public static boolean issued(TokenNode node, PointInTime time) {
    return node.getIssuedAt() != null
        && node.getStatus() != TokenStatus.pending
        && time.counts(node.getIssuedAt(), node.getRecordedAt());
  }

  /**
   * {@code node} at {@code time}: same chain and rights, {@code uses} the allowed uses counted by
   * then, {@code violations} those raised by then, and status, {@code revoked_at} and {@code
   * revocation_cause} from {@code revocation} (null: not revoked by then) and its expiry.
   */
  public static TokenNode at(
      TokenNode node,
      PointInTime time,
      long uses,
      AuditRecord revocation,
      Collection<ViolationKind> violations) {
    TokenNode.Builder b =
        TokenNode.newBuilder(node)
            .setUses(uses)
            .setViolations(List.copyOf(violationSet(violations)))
            .setRevokedAt(null)
            .setRevocationCause(null);
    if (revocation != null) {
      b.setStatus(TokenStatus.revoked)
          .setRevokedAt(revocation.getOccurredAt())
          .setRevocationCause(revocation.getTokenId());
    } else if (node.getExpiresAt() != null && time.at().isAfter(node.getExpiresAt())) {
      b.setStatus(TokenStatus.expired);
    } else {
      b.setStatus(TokenStatus.active);
    }
    return b.build();
  }

  /**
   * The verdict on {@code record} as the ledger knew it at {@code time.knownAt}: the verdict now,
   * or, when its last amendment was recorded after known_at, the verdict as first recorded (the
   * index keeps the two, not each amendment's step; amendments of one use are rare).
   */
  public static Set<ViolationKind> verdict(AuditRecord record, PointInTime time) {
    AuditAmendment amends = record.getAmends();
    if (amends != null
        && time.knownAt() != null
        && amends.getAmendedAt().isAfter(time.knownAt())
        && amends.getRecordedViolations() != null) {
      return violationSet(amends.getRecordedViolations());
    }
    return violationSet(record.getViolations());
  }

  /**
   * The transitions of token {@code tokenId} that {@code record} holds: the event itself (a
   * definition, a use, a revocation of the token or of an ancestor) and one per violation of its
   * verdict now, the ones an amendment added recorded when it was re-judged.
   */
  public static List<Transition> transitions(AuditRecord record, String tokenId) {
    List<Transition> out = new ArrayList<>(2);
    Transition.Kind kind =
        switch (record.getType()) {
          case EventType.Names.ISSUED -> Transition.Kind.issued;
          case EventType.Names.EXCHANGED -> Transition.Kind.exchanged;
          case EventType.Names.ATTENUATED -> Transition.Kind.attenuated;
          case EventType.Names.USED -> Transition.Kind.used;
          case EventType.Names.REVOKED -> Transition.Kind.revoked;
          default -> null;
        };
    if (kind != null) {
      out.add(
          new Transition(
              kind,
              record.getOccurredAt(),
              record.getRecordedAt(),
              record.getTokenId(),
              null,
              record));
    }
    if (!record.getTokenId().equals(tokenId)) {
      return out; // an ancestor's revocation: its violations are not this token's
    }
    AuditAmendment amends = record.getAmends();
    Set<ViolationKind> first =
        amends == null || amends.getRecordedViolations() == null
            ? violationSet(record.getViolations())
            : violationSet(amends.getRecordedViolations());
    for (ViolationKind v : violationSet(record.getViolations())) {
      Instant recorded =
          first.contains(v) || amends == null ? record.getRecordedAt() : amends.getAmendedAt();
      out.add(
          new Transition(
              Transition.Kind.violation,
              record.getOccurredAt(),
              recorded,
              record.getTokenId(),
              v,
              record));
    }
    return out;
  }

  /** The expiry of {@code node} as a transition, if it is before {@code now}; null otherwise. */
  public static Transition expiry(TokenNode node, Instant now) {
    if (node.getExpiresAt() == null || !now.isAfter(node.getExpiresAt())) {
      return null;
    }
    return new Transition(
        Transition.Kind.expired,
        node.getExpiresAt(),
        node.getRecordedAt(),
        node.getTokenId(),
        null,
        null);
  }

  private static Set<ViolationKind> violationSet(Collection<ViolationKind> kinds) {
    EnumSet<ViolationKind> set = EnumSet.noneOf(ViolationKind.class);
    set.addAll(kinds);
    return set;
  }
}
