package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Events;
import java.util.List;
import org.junit.jupiter.api.Test;

class DerivationTest {

  private static final TokenNode ROOT =
      Derivation.derive(
              Events.issued(
                  "t",
                  "e0",
                  "r",
                  "user:u",
                  "agent:r",
                  List.of("a", "b"),
                  List.of("read", "write"),
                  T0.plusSeconds(60),
                  5L,
                  T0),
              null,
              2)
          .node();

  @Test
  void aRootIsItsOwnRootWithItsSubjectAsPrincipal() {
    assertThat(ROOT.getRootId()).isEqualTo("r");
    assertThat(ROOT.getPrincipal()).isEqualTo("user:u");
    assertThat(ROOT.getDepth()).isZero();
    assertThat(ROOT.getChain())
        .singleElement()
        .satisfies(h -> assertThat(h.getVia()).isEqualTo(Via.issued));
  }

  @Test
  void leftOutFieldsAreInherited() {
    TokenNode child =
        Derivation.derive(Events.attenuated("t", "e1", "c", "r", null, T0), ROOT, 32).node();
    assertThat(child.getActor()).isEqualTo("agent:r");
    assertThat(child.getScopes()).containsExactly("read", "write");
    assertThat(child.getAudience()).containsExactly("a", "b");
    assertThat(child.getExpiresAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(child.getMaxUses()).isEqualTo(5L);
    assertThat(child.getPrincipal()).isEqualTo("user:u");
    assertThat(child.getDepth()).isEqualTo(1);
  }

  @Test
  void wideningIsRecordedAsReportedAndFlagged() {
    LedgerEvent wide =
        Events.exchanged(
            "t",
            "e1",
            "c",
            "r",
            "agent:c",
            List.of("a", "z"),
            List.of("read"),
            T0.plusSeconds(61),
            null,
            T0);
    Derivation.Derived derived = Derivation.derive(wide, ROOT, 32);
    assertThat(derived.node().getAudience()).containsExactly("a", "z");
    assertThat(derived.violations())
        .containsExactlyInAnyOrder(ViolationKind.escalation, ViolationKind.lifetime_extension);
  }

  @Test
  void depthBeyondTheLimitIsFlagged() {
    TokenNode one =
        Derivation.derive(Events.attenuated("t", "e1", "c1", "r", null, T0), ROOT, 1).node();
    assertThat(
            Derivation.derive(Events.attenuated("t", "e2", "c2", "c1", null, T0), one, 1)
                .violations())
        .containsExactly(ViolationKind.depth_limit);
  }

  @Test
  void statusPrefersRevokedOverExpiredOverActive() {
    long after = T0.plusSeconds(120).toEpochMilli();
    assertThat(Derivation.status(ROOT, T0.toEpochMilli())).isEqualTo(TokenStatus.active);
    assertThat(Derivation.status(ROOT, after)).isEqualTo(TokenStatus.expired);
    assertThat(Derivation.status(TokenNode.newBuilder(ROOT).setRevokedAt(T0).build(), after))
        .isEqualTo(TokenStatus.revoked);
  }
}
