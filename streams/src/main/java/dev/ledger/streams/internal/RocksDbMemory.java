package dev.ledger.streams.internal;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;

/**
 * Bounds what the RocksDB stores hold in native memory, set through {@code rocksdb.config.setter}:
 * smaller memtables per store, and one block cache for all of them.
 *
 * <p>The topology has about sixteen stores per partition, so a ledger with six partitions opens
 * close to a hundred RocksDB instances. By Kafka Streams' defaults each fills memtables of 16 MB
 * before it flushes (under the pipeline benchmark the process's resident memory grew by about 3.6
 * MB a second of writes) and has a block cache of its own of 50 MB, which fills as the store's data
 * leaves the memtables and is read back: nothing bounds the hundred caches short of 5 GB as a
 * long-running ledger's state grows. With {@link #MEMTABLE_BYTES} and {@link #MEMTABLES} each store
 * flushes eight times as often and holds at most a twelfth of the memory, and every store shares
 * one cache of {@link #BLOCK_CACHE_BYTES}.
 *
 * <p>The memtables are not charged to that cache: a budget shared by every store's memtables
 * (RocksDB's WriteBufferManager, the Kafka Streams memory guide's way) bounds them too, but at 64
 * to 96 MB for a hundred stores it flushed so often that the pipeline benchmark's throughput halved
 * (2,028 to 988 events/s; streams/README.md).
 */
public final class RocksDbMemory implements RocksDBConfigSetter {

  /**
   * Each store's memtable size (Kafka Streams' default is 16 MB). 2 MB measured both less memory
   * and more throughput than 4 MB under the pipeline benchmark (1,123 against 1,173 MB of RSS,
   * 3,826 against 2,745 events/s, one run each): smaller skip lists to insert into and search.
   */
  static final long MEMTABLE_BYTES = 2L * 1024 * 1024;

  /** Memtables per store: one being filled, one being flushed (Kafka Streams allows three). */
  static final int MEMTABLES = 2;

  /** The block cache every store of the process shares (Kafka Streams gives each 50 MB). */
  static final long BLOCK_CACHE_BYTES = 32L * 1024 * 1024;

  /**
   * Built on first use, never in a static initializer: Kafka Streams loads this class while it
   * parses its configuration, before RocksDB's native library is loaded. Never closed: it lives as
   * long as the process and its stores.
   */
  private static Cache shared;

  static synchronized Cache sharedCache() {
    if (shared == null) {
      shared = new LRUCache(BLOCK_CACHE_BYTES);
    }
    return shared;
  }

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    options.setWriteBufferSize(MEMTABLE_BYTES);
    options.setMaxWriteBufferNumber(MEMTABLES);
    // Kafka Streams' own table config (its accessible-cache subclass, which its metrics read the
    // cache from), with the shared cache in place of the one it made for this store.
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(sharedCache());
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // The shared cache outlives every store; Kafka Streams closes the one it made itself.
  }
}
