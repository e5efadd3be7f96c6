package dev.ledger.bench.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaLogBytesTest {

  @Test
  void aPartitionDirectoryNamesItsTopic() {
    assertThat(KafkaLogBytes.topicOf("ledger.events-0")).isEqualTo("ledger.events");
    assertThat(KafkaLogBytes.topicOf("ledger-streams-ledger-tree-nodes-changelog-11"))
        .isEqualTo("ledger-streams-ledger-tree-nodes-changelog");
    assertThat(KafkaLogBytes.topicOf("ledger.audit-3.5f2a9c-delete")).isNull();
    assertThat(KafkaLogBytes.topicOf("meta.properties")).isNull();
  }

  @Test
  void sumsRecordSegmentsPerTopicAndIgnoresIndexFiles(@TempDir Path dir) throws Exception {
    write(dir.resolve("ledger.audit-0/00000000000000000000.log"), 100);
    write(dir.resolve("ledger.audit-0/00000000000000000000.index"), 10_000);
    write(dir.resolve("ledger.audit-1/00000000000000000000.log"), 50);
    write(dir.resolve("ledger.audit-1/00000000000000000120.log"), 7);
    write(dir.resolve("ledger.events-0/00000000000000000000.log"), 30);
    write(dir.resolve("stray.log"), 999);
    assertThat(KafkaLogBytes.perTopic(dir))
        .containsExactlyInAnyOrderEntriesOf(Map.of("ledger.audit", 157L, "ledger.events", 30L));
    assertThat(KafkaLogBytes.perTopic(dir.resolve("missing"))).isEmpty();
  }

  @Test
  void findsTheLogDirectoryOneLevelDownAsTheEmbeddedBrokerKeepsIt(@TempDir Path dir)
      throws Exception {
    write(dir.resolve("kraft/ledger.audit-0/00000000000000000000.log"), 100);
    write(dir.resolve("kraft/ledger.tokens-2/00000000000000000000.log"), 20);
    write(dir.resolve("kraft/meta.properties"), 5);
    assertThat(KafkaLogBytes.perTopic(dir))
        .containsExactlyInAnyOrderEntriesOf(Map.of("ledger.audit", 100L, "ledger.tokens", 20L));
  }

  @Test
  void growthIsPerTopicAndNeverNegative() {
    assertThat(
            KafkaLogBytes.growth(Map.of("a", 10L, "b", 50L), Map.of("a", 25L, "b", 40L, "c", 5L)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("a", 15L, "b", 0L, "c", 5L));
  }

  private static void write(Path file, int bytes) throws Exception {
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[bytes]);
  }
}
