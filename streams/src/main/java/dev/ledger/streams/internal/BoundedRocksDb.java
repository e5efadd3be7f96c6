package dev.ledger.streams.internal;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Caps the memory of every RocksDB store of the process at one shared budget, as the Kafka Streams
 * memory-management guide does it: one block cache that also holds index and filter blocks, and
 * one write-buffer manager that charges every memtable to it.
 *
 * <p>Why: by default each store instance has its own 50 MB block cache and up to three 16 MB
 * memtables, and the ledger has 15 stores per partition, so six partitions could take gigabytes
 * off-heap, outside {@code -Xmx} and invisible to the JVM. Set through {@code rocksdb.config.setter};
 * Kafka Streams creates one instance per store, so the shared objects are static.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

  /** Block cache and memtables of all stores together. */
  static final long TOTAL_BYTES = 96L * 1024 * 1024;
  /** Of {@link #TOTAL_BYTES}, what memtables may take before they are flushed. */
  static final long MEMTABLE_BYTES = 32L * 1024 * 1024;
  /** One memtable: small, since most stores of a partition see few writes between flushes. */
  static final long MEMTABLE_SIZE = 4L * 1024 * 1024;
  /** Share of the cache kept for index and filter blocks, so hot lookups do not evict them. */
  private static final double INDEX_FILTER_RATIO = 0.1;

  static {
    RocksDB.loadLibrary(); // the shared objects below are native; Kafka Streams may load us first
  }

  private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, INDEX_FILTER_RATIO);
  private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(CACHE);
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    table.setPinTopLevelIndexAndFilter(true);
    options.setWriteBufferManager(WRITE_BUFFERS);
    options.setMaxWriteBufferNumber(2);
    options.setWriteBufferSize(MEMTABLE_SIZE);
    options.setTableFormatConfig(table);
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write-buffer manager are shared by every store: never closed here.
  }
}
