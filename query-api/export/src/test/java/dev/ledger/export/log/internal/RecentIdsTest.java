package dev.ledger.export.log.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentIdsTest {

  @Test
  void remembersAtLeastTheLastWindowAndAtMostTwiceThat() {
    RecentIds ids = new RecentIds(1_000);
    for (long leaf = 0; leaf < 100_000; leaf++) {
      ids.put(leaf * 31 + 7, leaf);
      assertThat(ids.size()).isLessThanOrEqualTo(2_000);
    }
    for (long leaf = 99_000; leaf < 100_000; leaf++) {
      assertThat(ids.get(leaf * 31 + 7)).isEqualTo(leaf);
    }
    assertThat(ids.get(7)).as("leaf 0, long forgotten").isEqualTo(-1);
  }
}
