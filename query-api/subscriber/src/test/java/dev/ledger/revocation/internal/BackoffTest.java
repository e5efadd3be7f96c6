package dev.ledger.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesWithinJitterUpToTheMaximumAndResets() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    assertThat(b.next().toMillis()).isBetween(100L, 120L);
    assertThat(b.next().toMillis()).isBetween(160L, 240L);
    assertThat(b.next().toMillis()).isBetween(320L, 480L);
    assertThat(b.next().toMillis()).isBetween(640L, 960L);
    for (int i = 0; i < 5; i++) {
      assertThat(b.next().toMillis()).isBetween(800L, 1000L);
    }
    b.reset();
    assertThat(b.next().toMillis()).isBetween(100L, 120L);
    b.toMax();
    assertThat(b.next().toMillis()).isBetween(800L, 1000L);
  }
}
