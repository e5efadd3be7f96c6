package dev.ledger.index.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.index.PointInTime;
import dev.ledger.index.Transition;
import dev.ledger.schemas.avro.AuditAmendment;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pure rules of a token at a point in time: which revocation is in force, status precedence,
 * verdicts as known.
 */
class PointInTimeAnswersTest {

  static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

  static Instant s(long seconds) {
    return T0.plusSeconds(seconds);
  }

  static AuditRecord revocation(String token, long second) {
    return AuditRecord.newBuilder()
        .setEventId("rev-" + token)
        .setType("token.revoked")
        .setOccurredAt(s(second))
        .setTenant("acme")
        .setTokenId(token)
        .setRecordedAt(s(second))
        .build();
  }

  static TokenNode node(Instant expires) {
    return TokenNode.newBuilder()
        .setTokenId("c")
        .setTenant("acme")
        .setStatus(TokenStatus.revoked)
        .setVia(Via.issued)
        .setIssuedAt(T0)
        .setRecordedAt(T0)
        .setExpiresAt(expires)
        .setRevokedAt(s(5))
        .setRevocationCause("c")
        .setUses(9)
        .setViolations(List.of(ViolationKind.escalation))
        .build();
  }

  /** A use first recorded clean at 20 s, amended with use_after_revocation at 100 s. */
  static AuditRecord amendedUse() {
    return AuditRecord.newBuilder()
        .setEventId("u")
        .setType("token.used")
        .setOccurredAt(s(10))
        .setTenant("acme")
        .setTokenId("c")
        .setOutcome(Outcome.allowed)
        .setRecordedAt(s(20))
        .setViolations(List.of(ViolationKind.use_after_revocation))
        .setAmends(
            AuditAmendment.newBuilder()
                .setAdded(List.of(ViolationKind.use_after_revocation))
                .setRemoved(List.of())
                .setRecordedViolations(List.of())
                .setAmendedAt(s(100))
                .build())
        .build();
  }

  @Test
  void theRevocationInForceIsTheEarliestThenTheSmallestTokenId() {
    assertThat(
            PointInTimeAnswers.earliest(
                    List.of(revocation("b", 7), revocation("z", 5), revocation("a", 5)))
                .getTokenId())
        .isEqualTo("a");
    assertThat(PointInTimeAnswers.earliest(List.of())).isNull();
  }

  @Test
  void revokedBeforeExpiredBeforeActive() {
    TokenNode c = node(s(60));
    TokenNode revoked =
        PointInTimeAnswers.at(c, PointInTime.at(s(90)), 1, revocation("r", 50), List.of());
    assertThat(revoked.getStatus()).isEqualTo(TokenStatus.revoked);
    assertThat(revoked.getRevocationCause()).isEqualTo("r");
    assertThat(revoked.getRevokedAt()).isEqualTo(s(50));
    assertThat(revoked.getUses()).isEqualTo(1);
    TokenNode expired = PointInTimeAnswers.at(c, PointInTime.at(s(61)), 1, null, List.of());
    assertThat(expired.getStatus()).isEqualTo(TokenStatus.expired);
    // The revocation known now (at 5 s) is not the answer at a time it does not count.
    assertThat(expired.getRevokedAt()).isNull();
    assertThat(expired.getRevocationCause()).isNull();
    assertThat(expired.getViolations()).isEmpty();
    assertThat(PointInTimeAnswers.at(c, PointInTime.at(s(60)), 0, null, List.of()).getStatus())
        .isEqualTo(TokenStatus.active);
  }

  @Test
  void aVerdictIsAsFirstRecordedUntilTheAmendmentWasMade() {
    AuditRecord use = amendedUse();
    assertThat(PointInTimeAnswers.verdict(use, new PointInTime(s(30), s(99)))).isEmpty();
    assertThat(PointInTimeAnswers.verdict(use, new PointInTime(s(30), s(100))))
        .containsExactly(ViolationKind.use_after_revocation);
    assertThat(PointInTimeAnswers.verdict(use, PointInTime.at(s(30))))
        .containsExactly(ViolationKind.use_after_revocation);
  }

  @Test
  void transitionsOfAnAmendedUseAndOfAnAncestorsRevocation() {
    List<Transition> use = PointInTimeAnswers.transitions(amendedUse(), "c");
    assertThat(use)
        .extracting(Transition::kind)
        .containsExactly(Transition.Kind.used, Transition.Kind.violation);
    assertThat(use.get(0).recordedAt()).isEqualTo(s(20));
    assertThat(use.get(1).recordedAt()).as("known since it was re-judged").isEqualTo(s(100));
    List<Transition> ancestor = PointInTimeAnswers.transitions(revocation("r", 50), "c");
    assertThat(ancestor)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.kind()).isEqualTo(Transition.Kind.revoked);
              assertThat(t.tokenId()).isEqualTo("r");
            });
    assertThat(PointInTimeAnswers.expiry(node(s(60)), s(60))).isNull();
    assertThat(PointInTimeAnswers.expiry(node(s(60)), s(61)).occurredAt()).isEqualTo(s(60));
    assertThat(PointInTimeAnswers.expiry(node(null), s(61))).isNull();
  }
}
