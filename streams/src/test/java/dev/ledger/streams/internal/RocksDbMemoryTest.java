package dev.ledger.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.streams.LedgerTopology;
import dev.ledger.streams.StreamsSettings;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.internals.BlockBasedTableConfigWithAccessibleCache;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class RocksDbMemoryTest {

  @Test
  void everyStoreGetsASmallerMemtableAndTheOneSharedBlockCache() {
    RocksDB.loadLibrary();
    try (Options a = withTable();
        Options b = withTable()) {
      new RocksDbMemory().setConfig("ledger-tree-nodes", a, Map.of());
      new RocksDbMemory().setConfig("ledger-links", b, Map.of());
      assertThat(a.writeBufferSize())
          .isEqualTo(RocksDbMemory.MEMTABLE_BYTES)
          .isLessThan(16L * 1024 * 1024);
      assertThat(a.maxWriteBufferNumber()).isEqualTo(RocksDbMemory.MEMTABLES).isLessThan(3);
      assertThat(((BlockBasedTableConfigWithAccessibleCache) a.tableFormatConfig()).blockCache())
          .isSameAs(RocksDbMemory.sharedCache())
          .isSameAs(
              ((BlockBasedTableConfigWithAccessibleCache) b.tableFormatConfig()).blockCache());
    }
  }

  private static Options withTable() {
    Options options = new Options();
    // As Kafka Streams' RocksDBStore does before it calls the setter.
    options.setTableFormatConfig(new BlockBasedTableConfigWithAccessibleCache());
    return options;
  }

  @Test
  void theStreamsConfigurationUsesIt() {
    var config = LedgerTopology.streamsConfig(StreamsSettings.builder("localhost:9092").build());
    assertThat(new StreamsConfig(config).getClass(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
        .isEqualTo(RocksDbMemory.class);
  }
}
