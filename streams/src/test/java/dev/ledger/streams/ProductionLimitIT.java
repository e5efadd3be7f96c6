package dev.ledger.streams;

import static dev.ledger.streams.PoisonTenantIT.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.streams.internal.DlqProductionHandler;
import dev.ledger.streams.testing.Events;
import dev.ledger.streams.testing.StreamsApps;
import dev.ledger.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * A record the ledger would write past the producer's {@code max.request.size} (made tiny here)
 * goes to {@code ledger.dlq} as its identity and reason, under exactly-once, and the stream thread
 * that met it lives on: the next tenant's events are processed by the same thread.
 */
class ProductionLimitIT {

  private static final int MAX_REQUEST = 40 * 1024;

  @Test
  void aRecordPastTheProducersLimitGoesToTheDlqAndTheThreadLivesOn() {
    try (TestKafka run = TestKafka.start(4);
        LedgerStreams app =
            StreamsApps.start(
                StreamsApps.settings(run, "ledger-small")
                    .override("producer.max.request.size", Integer.toString(MAX_REQUEST))
                    .build())) {
      // About 30 KB: within every input limit and small enough for the state stores' changelogs,
      // but the record to the tree topic is past the size guard (max.request.size - 16 KiB).
      Map<String, String> attributes = new HashMap<>();
      for (int i = 0; i < 30; i++) {
        attributes.put("a" + i, "v".repeat(1000));
      }
      LedgerEvent big = Events.chain("big", "b", 0, 10).getFirst();
      big.getToken().setAttributes(attributes);
      long skippedBefore = DlqProductionHandler.skipped();
      run.send(List.of(big));
      run.send(Events.quickstart());
      PoisonTenantIT.awaitQuickstart(run, "acme");

      List<ConsumerRecord<byte[], byte[]>> dlq =
          TestKafka.readAll(
              run.bootstrapServers(),
              Topics.DLQ.name(),
              1,
              Duration.ofSeconds(30),
              Duration.ofSeconds(1));
      assertThat(dlq)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(header(r, Topics.DLQ_HEADER_REASON))
                    .isEqualTo(DlqProductionHandler.TOO_LARGE);
                assertThat(header(r, Topics.DLQ_HEADER_MESSAGE)).contains("ledger-small-trees");
                assertThat(header(r, Topics.DLQ_HEADER_ORIGIN)).matches("ledger\\.events/\\d+@0");
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("big/b0");
                assertThat(r.value()).isNull();
              });
      assertThat(DlqProductionHandler.skipped() - skippedBefore)
          .as("skipped once: the transaction went on, nothing was aborted and processed again")
          .isEqualTo(1);
      assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }
}
