package dev.ledger.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.streams.LedgerTopology;
import dev.ledger.streams.StreamsSettings;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

class BoundedRocksDbTest {

  @Test
  void everyStoreGetsSmallMemtablesChargedToOneSharedBudget() {
    try (Options a = new Options(); Options b = new Options()) {
      a.setTableFormatConfig(new BlockBasedTableConfig());
      b.setTableFormatConfig(new BlockBasedTableConfig());
      new BoundedRocksDb().setConfig("ledger-tree-nodes", a, Map.of());
      new BoundedRocksDb().setConfig("ledger-links", b, Map.of());
      for (Options o : new Options[] {a, b}) {
        assertThat(o.writeBufferSize()).isEqualTo(BoundedRocksDb.MEMTABLE_SIZE);
        assertThat(o.maxWriteBufferNumber()).isEqualTo(2);
        assertThat(((BlockBasedTableConfig) o.tableFormatConfig()).cacheIndexAndFilterBlocks()).isTrue();
      }
      assertThat(BoundedRocksDb.MEMTABLE_BYTES).isLessThan(BoundedRocksDb.TOTAL_BYTES);
    }
  }

  @Test
  void theAppUsesIt() {
    assertThat(LedgerTopology.streamsConfig(StreamsSettings.builder("localhost:9092").build())
        .get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDb.class.getName());
  }
}
