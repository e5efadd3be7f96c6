package dev.ledger.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The roots one instance's resolver tasks share ({@link ResolvedRoots}). */
class ResolvedRootsTest {

  @Test
  void keepsTheMostRecentlyUsedRootsUpToItsCapacity() {
    ResolvedRoots roots = new ResolvedRoots(2);
    roots.put("t/a", "r", 1);
    roots.put("t/b", "r", 2);
    assertThat(roots.get("t/a")).isEqualTo(new ResolvedRoots.Root("r", 1)); // a used last now
    roots.put("t/c", "r", 3);
    assertThat(roots.get("t/b")).as("the least recently used goes first").isNull();
    assertThat(roots.get("t/a")).isNotNull();
    assertThat(roots.get("t/c")).isEqualTo(new ResolvedRoots.Root("r", 3));
    assertThat(roots.get("u/a")).as("another tenant's token is another key").isNull();
  }

  @Test
  void aCapacityOfZeroKeepsNothingAndANegativeOneIsRefused() {
    ResolvedRoots none = new ResolvedRoots(0);
    none.put("t/a", "r", 1);
    assertThat(none.get("t/a")).isNull();
    assertThatThrownBy(() -> new ResolvedRoots(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }
}
