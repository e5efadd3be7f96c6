package dev.ledger.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.revocation.Revocation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What only the in-memory store does; the rest is {@link RevocationStoreContractTest}. */
class InMemoryRevocationStoreTest {

  private final InMemoryRevocationStore store = new InMemoryRevocationStore();
  private final Instant at = Instant.parse("2026-01-01T10:00:00.123Z");

  @Test
  void descendantsOfOneCauseShareOneCopyOfIt() {
    store.put(new Revocation("t", "c1", at, new String("root"), null));
    store.put(new Revocation("t", "c2", at, new String("root"), null));
    assertThat(store.get("t", "c1").revocationCause())
        .isEqualTo("root")
        .isSameAs(store.get("t", "c2").revocationCause());
  }

  @Test
  void keepsAnsweringAfterClose() {
    store.put(new Revocation("t", "a", at, "a", null));
    store.close();
    assertThat(store.contains("t", "a")).isTrue();
    assertThat(store.get("t", "a")).isNotNull();
  }
}
