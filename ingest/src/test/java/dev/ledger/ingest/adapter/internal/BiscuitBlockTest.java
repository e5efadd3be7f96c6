package dev.ledger.ingest.adapter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BiscuitBlockTest {

  @Test
  void authorityFactsGiveSubjectActorIssuerScopesAndAudience() {
    BiscuitBlock block =
        BiscuitBlock.read(
            """
        user("user:dana");
        actor("agent:planner");
        issuer("https://auth.acme.example");
        right("read");
        right("files", "write");
        audience("https://files.example");
        """,
            true);
    assertThat(block.subject()).isEqualTo("user:dana");
    assertThat(block.actor()).isEqualTo("agent:planner");
    assertThat(block.issuer()).isEqualTo("https://auth.acme.example");
    assertThat(block.scopes()).containsExactly("read", "files:write");
    assertThat(block.audience()).containsExactly("https://files.example");
    assertThat(block.statements()).hasSize(6).first().isEqualTo("user(\"user:dana\")");
  }

  @Test
  void outsideTheAuthorityOnlyTheActorFactCountsBecauseFactsThereGrantNothing() {
    BiscuitBlock block =
        BiscuitBlock.read(
            """
        user("user:mallory");
        right("admin");
        audience("https://evil.example");
        actor("agent:searcher");
        """,
            false);
    assertThat(block.subject()).isNull();
    assertThat(block.scopes()).isNull();
    assertThat(block.audience()).isNull();
    assertThat(block.actor()).isEqualTo("agent:searcher");
  }

  @Test
  void checksOnOperationsAndResourcesNarrowAndIntersect() {
    BiscuitBlock block =
        BiscuitBlock.read(
            """
        check if operation("read") or operation("list") or operation("write");
        check if operation("list") or operation("read");
        check if resource("https://a.example") or resource("https://b.example");
        """,
            false);
    assertThat(block.scopes()).containsExactly("read", "list");
    assertThat(block.audience()).containsExactly("https://a.example", "https://b.example");
  }

  @Test
  void theEarliestTimeCheckIsTheExpiry() {
    BiscuitBlock block =
        BiscuitBlock.read(
            """
        check if time($t), $t <= 2026-11-20T10:00:00Z;
        check if time($date), $date < 2026-11-20T09:00:00Z;
        """,
            false);
    assertThat(block.expiresAt()).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
  }

  @Test
  void statementsOutsideTheConventionsAreKeptAsCaveatsOnly() {
    BiscuitBlock block =
        BiscuitBlock.read(
            """
        can_read($r) <- resource($r), owner("dana", $r);
        check if resource($r), $r.starts_with("/flights");
        check if operation($op), ["read", "list"].contains($op);
        check if operation("read"), resource("x");
        check if operation("read") or resource("x");
        """,
            true);
    assertThat(block.scopes()).isNull();
    assertThat(block.audience()).isNull();
    assertThat(block.expiresAt()).isNull();
    assertThat(block.statements()).hasSize(5);
  }
}
