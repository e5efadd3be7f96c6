package dev.ledger.index;

import static dev.ledger.index.Records.T0;
import static dev.ledger.index.Records.audit;
import static dev.ledger.index.Records.revocation;
import static dev.ledger.index.Records.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.index.internal.WriteCounts;
import dev.ledger.schemas.Topic;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.TokenNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lucene writes one poll batch costs, per record kind, through the indexer's own batch code (no
 * broker): the write amplification of indexing, bounded so that it cannot creep back.
 */
class IndexerBatchTest {

  @TempDir Path dir;
  LedgerIndex index;
  IndexerLoop loop;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
  long offset;

  @BeforeEach
  void open() throws Exception {
    index = LedgerIndex.open(dir);
    loop = new IndexerLoop(IndexerSettings.builder("unused:9092").build(), index, meters);
  }

  @AfterEach
  void close() {
    index.close();
  }

  private <V> void add(Topic<String, V> topic, int partition, String key, V value) {
    batch.add(
        new ConsumerRecord<>(
            topic.name(),
            partition,
            offset++,
            key.getBytes(StandardCharsets.UTF_8),
            topic.valueSerde().serializer().serialize(topic.name(), value)));
  }

  private WriteCounts.Snapshot indexBatch() throws Exception {
    WriteCounts.Snapshot before = index.writes();
    loop.indexBatch(batch);
    batch.clear();
    index.awaitSearchable();
    return index.writes().minus(before);
  }

  @Test
  void anAuditedUseIsOneAddedDocumentAndNoTokenUpdate() throws Exception {
    for (int i = 0; i < 100; i++) {
      add(
          Topics.AUDIT,
          i % 4,
          "acme/b",
          audit("acme", "u" + i, T0.plusMillis(i), "alice", "root:x", "a:y", "b:z").build());
    }
    assertThat(indexBatch()).isEqualTo(new WriteCounts.Snapshot(100, 0, 0));
    assertThat(index.documentCount()).isEqualTo(100);
    assertThat(meters.get("ledger.index.writes").tag("op", "add").functionCounter().count())
        .isEqualTo(100);
    assertThat(meters.get("ledger.index.writes").tag("op", "update").functionCounter().count())
        .isZero();
    assertThat(meters.get("ledger.index.refresh.interval").gauge().value()).isBetween(25.0, 500.0);
  }

  @Test
  void aTokenIsUpdatedOncePerBatchWithItsLastVersion() throws Exception {
    for (int i = 1; i <= 50; i++) {
      add(
          Topics.TOKENS,
          1,
          "acme/b",
          TokenNode.newBuilder(token("acme", "alice", T0, "root:x", "b:y")).setUses(i).build());
      if (i % 10 == 0) {
        add(
            Topics.TOKENS,
            2,
            "acme/c",
            TokenNode.newBuilder(token("acme", "alice", T0, "root:x", "c:y")).setUses(i).build());
      }
    }
    add(Topics.TOKENS, 3, "acme/d", token("acme", "alice", T0, "root:x", "d:y"));
    batch.add(
        new ConsumerRecord<>(
            Topics.TOKENS.name(), 3, offset++, "acme/d".getBytes(StandardCharsets.UTF_8), null));
    assertThat(indexBatch())
        .as("b and c once each; d's last version is its tombstone")
        .isEqualTo(new WriteCounts.Snapshot(0, 2, 1));
    assertThat(index.token("acme", "b")).map(TokenNode::getUses).contains(50L);
    assertThat(index.token("acme", "c")).map(TokenNode::getUses).contains(50L);
    assertThat(index.token("acme", "d")).isEmpty();
    assertThat(loop.status().documentsIndexed())
        .as("every record read counts as indexed")
        .isEqualTo(57);
  }

  @Test
  void noticesAreSearchableAndHeardBeforeTheBatchsTokenDocumentsAreWritten() throws Exception {
    List<WriteCounts.Snapshot> heard = new ArrayList<>();
    List<TokenNode> seen = new ArrayList<>();
    loop.addRevocationListener(
        n -> {
          heard.add(index.writes());
          seen.add(index.token("acme", "leaf-7").orElse(null));
        });
    index.putToken(token("acme", "alice", T0, "root:x", "leaf-7:y"));
    index.awaitSearchable();
    WriteCounts.Snapshot start = index.writes();
    for (int i = 0; i < 20; i++) {
      add(
          Topics.TOKENS,
          i % 4,
          "acme/leaf-" + i,
          token("acme", "alice", T0, "root:x", "leaf-" + i + ":y"));
    }
    add(Topics.REVOCATIONS, 0, "acme/root", revocation("acme", "root", "root", T0, T0));
    indexBatch();
    assertThat(heard).hasSize(1);
    assertThat(heard.getFirst().minus(start))
        .as("only the notice was written when the listener heard it")
        .isEqualTo(new WriteCounts.Snapshot(0, 1, 0));
    assertThat(seen.getFirst().getStatus())
        .as("a descendant's answer is already revoked")
        .isEqualTo(dev.ledger.schemas.avro.TokenStatus.revoked);
  }

  @Test
  void noticesForceNoReopenOfTheMainIndex() throws Exception {
    // Ten batches like a busy ledger's: audit records and tokens, each with a notice that must be
    // searchable at once. Bound: no forced reopen of the main index (each would cut its buffered
    // documents into one more tiny segment); the notices' own index takes them.
    long before = index.forcedMainReopens();
    int heard = 0;
    List<SequencedNotice> notices = new ArrayList<>();
    loop.addRevocationListener(notices::add);
    for (int b = 0; b < 10; b++) {
      for (int i = 0; i < 20; i++) {
        add(
            Topics.AUDIT,
            i % 4,
            "acme/b",
            audit("acme", "u" + b + "-" + i, T0.plusMillis(i), "alice", "root:x", "b:z").build());
        add(
            Topics.TOKENS,
            i % 4,
            "acme/t" + i,
            token("acme", "alice", T0, "root:x", "t" + i + ":y"));
      }
      add(Topics.REVOCATIONS, b % 4, "acme/r" + b, revocation("acme", "r" + b, "r" + b, T0, T0));
      loop.indexBatch(batch);
      batch.clear();
      heard++;
      assertThat(index.revocationsAfter(TenantScope.of("acme"), RevocationPosition.START, 100))
          .as("searchable when heard")
          .hasSize(heard);
    }
    assertThat(notices).hasSize(10);
    assertThat(index.forcedMainReopens() - before)
        .as("forced reopens of the main index")
        .isLessThanOrEqualTo(0);
    index.awaitSearchable();
    assertThat(index.documentCount()).isEqualTo(200 + 20 + 10);
  }
}
