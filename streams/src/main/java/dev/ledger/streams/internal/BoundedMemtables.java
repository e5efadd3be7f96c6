package dev.ledger.streams.internal;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.Options;

/**
 * Smaller memtables for every RocksDB store, set through {@code rocksdb.config.setter}.
 *
 * <p>The topology has about sixteen stores per partition, so a ledger with six partitions opens
 * close to a hundred RocksDB instances, and by Kafka Streams' defaults each fills memtables of 16
 * MB before it flushes: under the pipeline benchmark the process's resident memory grew by about
 * 3.6 MB a second of writes, out of sight of the JVM's heap limit. With {@link #MEMTABLE_BYTES}
 * each store flushes four times as often and holds a quarter of the memory.
 *
 * <p>A budget shared by every store (RocksDB's WriteBufferManager, the Kafka Streams memory guide's
 * way) bounds the total instead, but at 64 MB for a hundred stores it flushed so often that the
 * pipeline benchmark's throughput halved (2,028 to 988 events/s), as a shared cache had before
 * (streams/README.md).
 */
public final class BoundedMemtables implements RocksDBConfigSetter {

  /** Each store's memtable size (Kafka Streams' default is 16 MB). */
  static final long MEMTABLE_BYTES = 4L * 1024 * 1024;

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    options.setWriteBufferSize(MEMTABLE_BYTES);
  }

  @Override
  public void close(String storeName, Options options) {
    // Nothing allocated here.
  }
}
