package dev.ledger.api.ssf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class StreamCursorTest {
  @Test
  void acknowledgementsBeyondTheCommitPointSurviveInTheCommitsMetadata() {
    TreeSet<Long> ahead = new TreeSet<>(List.of(103L, 104L, 110L));
    String metadata = StreamCursor.metadata(100, ahead);
    assertThat(metadata).isEqualTo("3,4,10");
    assertThat(StreamCursor.parseMetadata(100, metadata)).containsExactly(103L, 104L, 110L);
    assertThat(StreamCursor.parseMetadata(100, "")).isEmpty();
    assertThat(StreamCursor.parseMetadata(100, "garbage")).isEmpty();
  }

  @Test
  void theMetadataStaysWithinWhatKafkaKeeps() {
    TreeSet<Long> ahead = new TreeSet<>();
    for (long i = 1; i <= 5000; i++) {
      ahead.add(1_000_000 + i);
    }
    assertThat(StreamCursor.metadata(0, ahead).length()).isLessThanOrEqualTo(3000);
  }
}
