package dev.ledger.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.streams.LedgerTopology;
import dev.ledger.streams.StreamsSettings;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;

class BoundedMemtablesTest {

  @Test
  void everyStoreGetsASmallerMemtableThanKafkaStreamsDefault() {
    try (Options options = new Options()) {
      new BoundedMemtables().setConfig("ledger-tree-nodes", options, Map.of());
      assertThat(options.writeBufferSize())
          .isEqualTo(BoundedMemtables.MEMTABLE_BYTES)
          .isLessThan(16L * 1024 * 1024);
    }
  }

  @Test
  void theStreamsConfigurationUsesIt() {
    var config = LedgerTopology.streamsConfig(StreamsSettings.builder("localhost:9092").build());
    assertThat(new StreamsConfig(config).getClass(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
        .isEqualTo(BoundedMemtables.class);
  }
}
