package dev.ledger.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.revocation.Revocation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryRevocationStoreTest {

  private final InMemoryRevocationStore store = new InMemoryRevocationStore();
  private final Instant at = Instant.parse("2026-01-01T10:00:00.123Z");

  @Test
  void keepsEveryFieldOfARevocationPerTenant() {
    Revocation self = new Revocation("acme", "root", at, "root", null);
    Revocation child = new Revocation("acme", "child", at, "root", at.plusSeconds(60));
    store.put(self);
    store.put(child);
    assertThat(store.get("acme", "root")).isEqualTo(self);
    assertThat(store.get("acme", "child")).isEqualTo(child);
    assertThat(store.contains("acme", "child")).isTrue();
    assertThat(store.contains("other", "child")).isFalse();
    assertThat(store.get("other", "child")).isNull();
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void descendantsOfOneCauseShareOneCopyOfIt() {
    store.put(new Revocation("t", "c1", at, new String("root"), null));
    store.put(new Revocation("t", "c2", at, new String("root"), null));
    assertThat(store.get("t", "c1").revocationCause()).isEqualTo("root")
        .isSameAs(store.get("t", "c2").revocationCause());
  }

  @Test
  void anUpdateReplacesAndARemoveForgets() {
    store.put(new Revocation("t", "a", at, "a", null));
    store.put(new Revocation("t", "a", at.plusSeconds(1), "p", null));
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.get("t", "a").revocationCause()).isEqualTo("p");
    assertThat(store.remove("t", "a")).isTrue();
    assertThat(store.remove("t", "a")).isFalse();
    assertThat(store.remove("nobody", "a")).isFalse();
    assertThat(store.contains("t", "a")).isFalse();
    assertThat(store.size()).isZero();
  }
}
