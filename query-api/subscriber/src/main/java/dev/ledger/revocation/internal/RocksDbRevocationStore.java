package dev.ledger.revocation.internal;

import dev.ledger.revocation.InvalidSettingsException;
import dev.ledger.revocation.Revocation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RocksDB store, for sets of live revocations too large for the heap. One key per revocation,
 * {@code tenant/token_id} in UTF-8 ({@link StoreKey}), its value a few bytes ({@link StoreValue}).
 *
 * <p>Lookups go to RocksDB through JNI: {@code keyMayExist} and a bloom filter (10 bits per key,
 * about 1 % false positives, kept in memory) answer most misses without reading a block, and a
 * block cache keeps the hot blocks. Keys and values are encoded into per-thread buffers, so {@code
 * contains} allocates nothing on the heap once a thread has its buffers (about 200 bytes, once per
 * thread, virtual ones included). The WAL is off: the store is rebuilt from the topic on every
 * start, so nothing in it needs to survive a crash.
 *
 * <p>Closing frees the native handles; a lock keeps it from freeing them under a running lookup
 * (which would crash the JVM). Afterwards {@code contains} answers true (fail closed) and {@code
 * get} null.
 */
public final class RocksDbRevocationStore implements RevocationStore {

  private static final Logger LOG = LoggerFactory.getLogger(RocksDbRevocationStore.class);
  private static final long BLOCK_CACHE_BYTES = 32L << 20;
  private static final long WRITE_BUFFER_BYTES = 16L << 20;
  private static final byte[] NO_VALUE = new byte[0];

  /** A thread's reusable buffers. */
  private record Scratch(StoreKey key, StoreValue value) {}

  private final Path directory;
  private final boolean temporary;

  /** Native handles in the order they were made; closed in reverse, the database first. */
  private final Deque<AutoCloseable> handles;

  private final RocksDB db;
  private final ReadOptions reads;
  private final WriteOptions writes;
  private final StampedLock lifecycle = new StampedLock();
  private boolean closed; // guarded by lifecycle
  private final AtomicLong size = new AtomicLong();
  private final ThreadLocal<Scratch> scratch =
      ThreadLocal.withInitial(() -> new Scratch(new StoreKey(), new StoreValue()));

  private RocksDbRevocationStore(
      Path directory,
      boolean temporary,
      Deque<AutoCloseable> handles,
      RocksDB db,
      ReadOptions reads,
      WriteOptions writes) {
    this.directory = directory;
    this.temporary = temporary;
    this.handles = handles;
    this.db = db;
    this.reads = reads;
    this.writes = writes;
  }

  /**
   * An empty store in {@code directory}, or in a fresh temporary directory (deleted on close) if
   * null. What an earlier store left in the directory is destroyed first; other files in it are
   * left alone. Problems (native library, directory, lock held by another store) are an {@link
   * InvalidSettingsException}.
   */
  public static RocksDbRevocationStore open(Path directory) {
    try {
      RocksDB.loadLibrary();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      throw new InvalidSettingsException(
          List.of(
              "store ROCKSDB: rocksdbjni cannot load its native library on this platform: "
                  + e.getMessage()));
    }
    boolean temporary = directory == null;
    Path dir;
    try {
      dir =
          temporary
              ? Files.createTempDirectory("ledger-revocations-")
              : Files.createDirectories(directory);
    } catch (IOException e) {
      throw new InvalidSettingsException(List.of("storeDirectory cannot be created: " + e));
    }
    Deque<AutoCloseable> handles = new ArrayDeque<>();
    try {
      LRUCache cache = push(handles, new LRUCache(BLOCK_CACHE_BYTES));
      BloomFilter bloom = push(handles, new BloomFilter(10));
      BlockBasedTableConfig table =
          new BlockBasedTableConfig()
              .setBlockCache(cache)
              .setFilterPolicy(bloom)
              // Filters and indexes stay with the open table files, outside the cache: every lookup
              // needs
              // them, and a compacted file's filter (1.25 bytes per key) outgrows one shard of the
              // cache, so
              // in the cache it was re-read on every lookup (measured: 130 us instead of 3 us per
              // call).
              .setCacheIndexAndFilterBlocks(false);
      Options options =
          push(
              handles,
              new Options()
                  .setCreateIfMissing(true)
                  .setTableFormatConfig(table)
                  .setCompressionType(CompressionType.LZ4_COMPRESSION)
                  .setWriteBufferSize(WRITE_BUFFER_BYTES)
                  // Most lookups are misses, and the recent ones are still in the memtable.
                  .setMemtableWholeKeyFiltering(true)
                  .setMemtablePrefixBloomSizeRatio(0.1)
                  .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                  .setKeepLogFileNum(2));
      // The topic is the truth and is read again from the beginning: start from nothing.
      RocksDB.destroyDB(dir.toString(), options);
      ReadOptions reads = push(handles, new ReadOptions());
      WriteOptions writes = push(handles, new WriteOptions().setDisableWAL(true));
      RocksDB db = push(handles, RocksDB.open(options, dir.toString()));
      return new RocksDbRevocationStore(dir, temporary, handles, db, reads, writes);
    } catch (RocksDBException | RuntimeException e) {
      closeAll(handles);
      if (temporary) {
        deleteTree(dir);
      }
      String why = String.valueOf(e.getMessage());
      // RocksDB's lock error names the LOCK file but not the likely cause.
      String hint =
          why.toLowerCase(java.util.Locale.ROOT).contains("lock")
              ? " (is another source using it?)"
              : "";
      throw new InvalidSettingsException(
          List.of("storeDirectory " + dir + " cannot hold a RocksDB store: " + why + hint));
    }
  }

  private static <T extends AutoCloseable> T push(Deque<AutoCloseable> handles, T handle) {
    handles.push(handle);
    return handle;
  }

  /** The directory the store lives in. */
  public Path directory() {
    return directory;
  }

  @Override
  public void put(Revocation r) {
    whileOpen(
        "write",
        null,
        () -> {
          Scratch s = scratch.get();
          StoreKey key = s.key().of(r.tenant(), r.tokenId());
          boolean existed = exists(key);
          StoreValue value = s.value().of(r);
          db.put(writes, key.bytes(), 0, key.length(), value.bytes(), 0, value.length());
          if (!existed) {
            size.incrementAndGet();
          }
          return null;
        });
  }

  @Override
  public boolean remove(String tenant, String tokenId) {
    return whileOpen(
        "delete",
        false,
        () -> {
          StoreKey key = scratch.get().key().of(tenant, tokenId);
          if (!exists(key)) {
            return false;
          }
          db.delete(writes, key.bytes(), 0, key.length());
          size.decrementAndGet();
          return true;
        });
  }

  @Override
  public boolean contains(String tenant, String tokenId) {
    // The request path: written out rather than through whileOpen, whose lambda would capture (and
    // could allocate) per call. Closed: every token counts as revoked (fail closed).
    long stamp = lifecycle.readLock();
    try {
      return closed || exists(scratch.get().key().of(tenant, tokenId));
    } catch (RocksDBException e) {
      throw failed("read", e);
    } finally {
      lifecycle.unlockRead(stamp);
    }
  }

  /** One call into RocksDB. */
  @FunctionalInterface
  private interface DbCall<T> {
    T call() throws RocksDBException;
  }

  /**
   * Runs {@code call} under the read side of the lifecycle lock, so that {@link #close} cannot free
   * the native handles under it; once closed it returns {@code whenClosed} without touching them.
   */
  private <T> T whileOpen(String what, T whenClosed, DbCall<T> call) {
    long stamp = lifecycle.readLock();
    try {
      return closed ? whenClosed : call.call();
    } catch (RocksDBException e) {
      throw failed(what, e);
    } finally {
      lifecycle.unlockRead(stamp);
    }
  }

  /**
   * Most lookups are misses (tokens that were never revoked), and RocksDB's get is slow to say "not
   * found" through JNI (1.3-1.8 us), while {@code keyMayExist} rules a key out from the memtable
   * and the bloom filters in 0.25-0.7 us (measured on 1k and 1M keys). So a miss costs one cheap
   * call and a hit (rare on the request path) a second one: a get that copies no value (room for 0
   * bytes).
   */
  private boolean exists(StoreKey key) throws RocksDBException {
    return mayExist(key)
        && db.get(reads, key.bytes(), 0, key.length(), NO_VALUE, 0, 0) != RocksDB.NOT_FOUND;
  }

  private boolean mayExist(StoreKey key) {
    return db.keyMayExist(reads, key.bytes(), 0, key.length(), null);
  }

  @Override
  public Revocation get(String tenant, String tokenId) {
    return whileOpen(
        "read",
        null,
        () -> {
          Scratch s = scratch.get();
          StoreKey key = s.key().of(tenant, tokenId);
          if (!mayExist(key)) {
            return null;
          }
          byte[] buffer = s.value().buffer(0);
          int length = db.get(reads, key.bytes(), 0, key.length(), buffer, 0, buffer.length);
          while (length > buffer.length) { // a long cause: grow and read again
            buffer = s.value().buffer(length);
            length = db.get(reads, key.bytes(), 0, key.length(), buffer, 0, buffer.length);
          }
          return length == RocksDB.NOT_FOUND ? null : s.value().decode(tenant, tokenId, length);
        });
  }

  private IllegalStateException failed(String what, RocksDBException e) {
    return new IllegalStateException(
        "revocation store in " + directory + ": RocksDB " + what + " failed: " + e.getMessage(), e);
  }

  @Override
  public long size() {
    return size.get();
  }

  /** Frees the native handles once running lookups are done, then deletes a temporary directory. */
  @Override
  public void close() {
    long stamp = lifecycle.writeLock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closeAll(handles);
    } finally {
      lifecycle.unlockWrite(stamp);
    }
    if (temporary) {
      deleteTree(directory);
    }
  }

  private static void closeAll(Deque<AutoCloseable> handles) {
    while (!handles.isEmpty()) {
      try {
        handles.pop().close();
      } catch (Exception e) {
        LOG.warn("closing a RocksDB handle of the revocation store failed: {}", e.toString());
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn(
          "cannot delete the revocation store's temporary directory {}: {}", dir, e.toString());
    }
  }
}
