package dev.ledger.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.revocation.Revocation;
import dev.ledger.revocation.RevocationListener;
import dev.ledger.revocation.RevocationSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceCoreTest {

  /** The core fed by hand, as a follower thread would. */
  private static final class Fed extends SourceCore {
    Fed(RevocationSettings settings) {
      this(settings, new InMemoryRevocationStore());
    }

    Fed(RevocationSettings settings, RevocationStore store) {
      super(settings, store);
    }

    @Override
    public long lag() {
      return 0;
    }

    @Override
    public void close() {}
  }

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void failsClosedUntilCaughtUpThenAnswersFromTheStore() throws Exception {
    Fed source = new Fed(RevocationSettings.builder().build());
    assertThat(source.isRevoked("t", "anything")).isTrue();
    assertThat(source.awaitCaughtUp(Duration.ofMillis(10))).isFalse();
    source.apply(new Revocation("t", "a", AT, "a", null));
    assertThat(source.lookup("t", "a")).isPresent();
    assertThat(source.lookup("t", "b")).isEmpty();
    source.markCaughtUp();
    assertThat(source.awaitCaughtUp(Duration.ZERO)).isTrue();
    assertThat(source.isRevoked("t", "a")).isTrue();
    assertThat(source.isRevoked("t", "b")).isFalse();
    source.forget("t", "a");
    assertThat(source.isRevoked("t", "a")).isFalse();
    assertThat(source.status().applied()).isEqualTo(2);
    assertThat(source.status().revocations()).isZero();
  }

  @Test
  void failOpenAnswersFromWhatIsKnownDuringBootstrap() {
    Fed source = new Fed(RevocationSettings.builder().failClosed(false).build());
    source.apply(new Revocation("t", "a", AT, "a", null));
    assertThat(source.isRevoked("t", "a")).isTrue();
    assertThat(source.isRevoked("t", "b")).isFalse();
    assertThat(source.isCaughtUp()).isFalse();
  }

  @Test
  void aFollowedTenantIgnoresOtherTenantsNoticesAndRefusesQuestionsAboutThem() {
    Fed source = new Fed(RevocationSettings.builder().tenant("acme").build());
    source.apply(new Revocation("other", "a", AT, "a", null));
    source.apply(new Revocation("acme", "a", AT, "a", null));
    source.markCaughtUp();
    assertThat(source.status().revocations()).isEqualTo(1);
    assertThatThrownBy(() -> source.isRevoked("other", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("follows tenant acme only");
    assertThatThrownBy(() -> source.isRevoked(null, "a")).isInstanceOf(NullPointerException.class);
  }

  @Test
  void listenersSeeEveryChangeAndAFailingOneDoesNotStopTheOthers() {
    List<String> seen = new ArrayList<>();
    RevocationListener failing =
        r -> {
          throw new IllegalStateException("boom");
        };
    RevocationListener recording =
        new RevocationListener() {
          @Override
          public void onRevoked(Revocation r) {
            seen.add("+" + r.tokenId());
          }

          @Override
          public void onForgotten(String tenant, String tokenId) {
            seen.add("-" + tokenId);
          }
        };
    Fed source = new Fed(RevocationSettings.builder().listener(failing).build());
    source.addListener(recording);
    source.apply(new Revocation("t", "a", AT, "a", null));
    source.forget("t", "a");
    assertThat(seen).containsExactly("+a", "-a");
  }

  @Test
  void reportsErrorsUntilTheNextContact() {
    Fed source = new Fed(RevocationSettings.builder().build());
    source.error("cannot reach", new RuntimeException("down"));
    assertThat(source.status().connected()).isFalse();
    assertThat(source.status().lastError()).contains("cannot reach").contains("down");
    source.contact();
    assertThat(source.status().connected()).isTrue();
    assertThat(source.status().lastError()).isNull();
    assertThat(source.status().lastContact()).isNotNull();
  }

  @Test
  void aStoreThatFailsAWriteMakesTheSourceRefuseEveryTokenAndSayWhy() {
    InMemoryRevocationStore memory = new InMemoryRevocationStore();
    RevocationStore full =
        new RevocationStore() {
          @Override
          public void put(Revocation revocation) {
            if (revocation.tokenId().equals("lost")) {
              throw new IllegalStateException("No space left on device");
            }
            memory.put(revocation);
          }

          @Override
          public boolean remove(String tenant, String tokenId) {
            return memory.remove(tenant, tokenId);
          }

          @Override
          public boolean contains(String tenant, String tokenId) {
            return memory.contains(tenant, tokenId);
          }

          @Override
          public Revocation get(String tenant, String tokenId) {
            return memory.get(tenant, tokenId);
          }

          @Override
          public long size() {
            return memory.size();
          }
        };
    Fed source = new Fed(RevocationSettings.builder().build(), full);
    source.apply(new Revocation("t", "kept", AT, "kept", null));
    source.markCaughtUp();
    assertThat(source.isRevoked("t", "other")).isFalse();
    source.apply(new Revocation("t", "lost", AT, "lost", null));
    assertThat(source.isRevoked("t", "other")).as("the copy is incomplete: fail closed").isTrue();
    assertThat(source.status().lastError())
        .contains("revocation store failed")
        .contains("No space left on device");
    assertThat(source.status().applied()).isEqualTo(1);
  }
}
