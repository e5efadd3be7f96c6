package dev.ledger.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PostsTest {

  private static SplitPoster.Posted posted(int instance, int status, int events) {
    return new SplitPoster.Posted(
        instance, java.util.Collections.nCopies(events, "{}"), status, "");
  }

  @Test
  void countsEventsPerPhaseAndStatusAndNamesTheRefusingInstancesInOrder() {
    Posts.Builder b = new Posts.Builder();
    b.add(Posts.Phase.LOAD, posted(0, 202, 10));
    b.add(Posts.Phase.DOWN, posted(1, 503, 4));
    b.add(Posts.Phase.DOWN, posted(0, 503, 3));
    b.add(Posts.Phase.AFTER, posted(1, 500, 2));
    Posts p = b.build();
    assertThat(p.count(Posts.Phase.DOWN, 503)).isEqualTo(7);
    assertThat(p.otherThan(Posts.Phase.DOWN, 503)).isZero();
    assertThat(p.refusedBy().get(Posts.Phase.DOWN)).containsExactly(0, 1);
    assertThat(p.unexpected()).isEqualTo(2);
    assertThat(p.toText())
        .contains("two brokers of three down:")
        .contains("503 x 7 (503 from api-1, api-2)");
    assertThat(List.copyOf(p.events().keySet()))
        .containsExactly(Posts.Phase.LOAD, Posts.Phase.DOWN, Posts.Phase.AFTER);
  }
}
