package dev.ledger.export.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.export.format.AuditRecordJson;
import dev.ledger.export.format.LeafData;
import dev.ledger.export.log.internal.Layout;
import dev.ledger.export.log.internal.RecentIds;
import dev.ledger.export.log.internal.Writes;
import dev.ledger.export.merkle.CompactRange;
import dev.ledger.export.merkle.Hashes;
import dev.ledger.export.sign.Checkpoint;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Appends to one tenant's log files (see {@link Layout}). On open it cuts every file back to the
 * committed size, so what a crash left half-written disappears and is consumed again from Kafka.
 */
final class TenantWriter implements Closeable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final String tenant;
  private final Writes writes;
  private final Path dir;
  private final FileOutputStream recordsFile;
  private final FileOutputStream indexFile;
  private final FileOutputStream treeFile;
  private final BufferedOutputStream records;
  private final DataOutputStream index;
  private final BufferedOutputStream tree;
  private final CompactRange range;
  private final RecentIds eventIds;
  private long size;
  private long committed;
  private byte[] committedRoot;
  private long recordsEnd;
  private long lastMillis;
  private Checkpoint latest;

  /**
   * Leaves whose event ids are remembered to drop a duplicate, at least (see {@link RecentIds}):
   * memory stays below about 6 MB per tenant however long its log.
   */
  static final int DEDUPE_WINDOW = 100_000;

  private TenantWriter(Path root, String tenant, long committedSize, Writes writes)
      throws IOException {
    this.root = root;
    this.tenant = tenant;
    this.writes = writes;
    this.dir = Layout.tenantDir(root, tenant);
    boolean created = !Files.exists(dir);
    Files.createDirectories(dir);
    if (created) {
      Layout.syncDirectory(dir.getParent());
    }
    this.size = committedSize;
    this.committed = committedSize;
    this.eventIds = new RecentIds(DEDUPE_WINDOW);
    long recordsLength = truncateAndLoad();
    this.recordsEnd = recordsLength;
    this.range = CompactRange.ofPeaks(committedSize, peaks(committedSize), this::writeNode);
    this.committedRoot = range.root();
    this.latest = keepCommittedCheckpoints();
    this.recordsFile = new FileOutputStream(dir.resolve(Layout.RECORDS).toFile(), true);
    this.indexFile = new FileOutputStream(dir.resolve(Layout.INDEX).toFile(), true);
    this.treeFile = new FileOutputStream(dir.resolve(Layout.TREE).toFile(), true);
    this.records = new BufferedOutputStream(through(Layout.RECORDS, recordsFile), 1 << 16);
    this.index =
        new DataOutputStream(new BufferedOutputStream(through(Layout.INDEX, indexFile), 1 << 14));
    this.tree = new BufferedOutputStream(through(Layout.TREE, treeFile), 1 << 14);
  }

  /**
   * Opens the log of {@code tenant} at {@code committedSize} leaves, its files cut back to that
   * size; every write goes through {@code writes}.
   */
  static TenantWriter open(Path root, String tenant, long committedSize, Writes writes)
      throws IOException {
    return new TenantWriter(root, tenant, committedSize, writes);
  }

  private OutputStream through(String name, OutputStream file) {
    return writes.wrap(dir.resolve(name), file);
  }

  /**
   * Cuts index, records and tree back to {@code committed} leaves; loads event ids; returns the
   * records length.
   */
  private long truncateAndLoad() throws IOException {
    long recordsLength = 0;
    try (FileChannel idx =
        FileChannel.open(
            dir.resolve(Layout.INDEX),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
      if (idx.size() < committed * Layout.INDEX_ENTRY) {
        throw new IOException(
            "log of " + tenant + " has fewer leaves than its committed " + committed);
      }
      if (idx.size() > committed * Layout.INDEX_ENTRY) {
        idx.truncate(committed * Layout.INDEX_ENTRY);
        // Durable before anything is appended after it: a crash must not bring the cut part back.
        idx.force(true);
      }
      DataInputStream in =
          new DataInputStream(
              new java.io.BufferedInputStream(
                  java.nio.channels.Channels.newInputStream(idx.position(0)), 1 << 16));
      for (long leaf = 0; leaf < committed; leaf++) {
        recordsLength = in.readLong();
        lastMillis = in.readLong();
        long idHash = in.readLong();
        if (committed - leaf <= DEDUPE_WINDOW) {
          eventIds.put(idHash, leaf);
        }
      }
    }
    truncate(dir.resolve(Layout.RECORDS), recordsLength);
    truncate(dir.resolve(Layout.TREE), Layout.treeLength(committed));
    return recordsLength;
  }

  private void truncate(Path file, long length) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      if (ch.size() < length) {
        throw new IOException(
            file + " of " + tenant + " is shorter than its committed " + length + " bytes");
      }
      if (ch.size() > length) {
        ch.truncate(length);
        ch.force(true);
      }
    }
  }

  private List<byte[]> peaks(long end) throws IOException {
    List<byte[]> peaks = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(dir.resolve(Layout.TREE), StandardOpenOption.READ)) {
      long position = 0;
      for (int level : CompactRange.peakLevels(end)) {
        ByteBuffer b = ByteBuffer.allocate(Layout.HASH);
        long at = Layout.treePosition(level, position >>> level);
        while (b.hasRemaining()) {
          if (ch.read(b, at + b.position()) < 0) {
            throw new IOException("tree of " + tenant + " is missing a node");
          }
        }
        peaks.add(b.array());
        position += 1L << level;
      }
    }
    return peaks;
  }

  /** Drops checkpoints beyond the committed size (and a torn line); returns the newest kept. */
  private Checkpoint keepCommittedCheckpoints() throws IOException {
    Path file = dir.resolve(Layout.CHECKPOINTS);
    if (!Files.exists(file)) {
      return null;
    }
    List<String> kept = new ArrayList<>();
    Checkpoint newest = null;
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (String line : lines) {
      try {
        Checkpoint c = Checkpoint.fromJson(JSON.readTree(line));
        if (c.treeSize() <= committed) {
          kept.add(line);
          newest = c;
        }
      } catch (IOException | IllegalArgumentException e) {
        // torn by a crash: dropped
      }
    }
    if (kept.size() != lines.size()) {
      Path tmp = dir.resolve(Layout.CHECKPOINTS + ".tmp");
      Files.write(tmp, kept, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Layout.syncDirectory(dir);
    }
    return newest;
  }

  private void writeNode(int level, long index, byte[] hash) {
    try {
      tree.write(hash);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Appends {@code record} unless it is already in the log (by {@link AuditRecordJson#leafId}: its
   * event's identity, for an amendment that and what it changes); the commit time is {@code
   * nowMillis}, or the previous leaf's if the clock went back, so times never decrease.
   */
  boolean append(JsonNode record, long nowMillis) throws IOException {
    String leafId = AuditRecordJson.leafId(record);
    long idHash = eventIdHash(leafId);
    // Leaves appended before v1.10 are remembered by the hash of their event id alone; the leaf
    // found is compared by its identity, so another token's leaf of that event id is no match.
    if (isLeaf(idHash, leafId)
        || isLeaf(eventIdHash(AuditRecordJson.legacyLeafId(record)), leafId)) {
      return false;
    }
    long millis = Math.max(nowMillis, lastMillis);
    byte[] data = LeafData.encode(AuditRecordJson.time(Instant.ofEpochMilli(millis)), record);
    records.write(data);
    records.write('\n');
    recordsEnd += data.length + 1;
    index.writeLong(recordsEnd);
    index.writeLong(millis);
    index.writeLong(idHash);
    try {
      range.appendLeaf(Hashes.leaf(data));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    eventIds.put(idHash, size);
    size++;
    lastMillis = millis;
    return true;
  }

  /** Whether the leaf remembered under {@code idHash}, if any, has {@code leafId}. */
  private boolean isLeaf(long idHash, String leafId) throws IOException {
    long prior = eventIds.get(idHash);
    return prior >= 0 && isEvent(prior, leafId);
  }

  private boolean isEvent(long leaf, String eventId) throws IOException {
    flushBuffers();
    try (LogReader reader = LogReader.open(root, tenant).orElseThrow()) {
      JsonNode leafJson = JSON.readTree(reader.leafData(leaf));
      return eventId.equals(AuditRecordJson.leafId(leafJson.path("record")));
    }
  }

  static long eventIdHash(String eventId) {
    return ByteBuffer.wrap(Hashes.sha256(String.valueOf(eventId).getBytes(StandardCharsets.UTF_8)))
        .getLong();
  }

  private void flushBuffers() throws IOException {
    records.flush();
    index.flush();
    tree.flush();
  }

  /** True when leaves were appended since the last {@link #force()}. */
  boolean dirty() {
    return size != committed;
  }

  /** Flushes and forces every file to disk; afterwards the appended leaves may be committed. */
  void force() throws IOException {
    flushBuffers();
    recordsFile.getChannel().force(false);
    indexFile.getChannel().force(false);
    treeFile.getChannel().force(false);
    committed = size;
    committedRoot = range.root();
  }

  /** Appends a signed checkpoint (for the committed size) to the checkpoint file. */
  void addCheckpoint(Checkpoint checkpoint) throws IOException {
    byte[] line =
        (JSON.writeValueAsString(checkpoint.toJson()) + "\n").getBytes(StandardCharsets.UTF_8);
    // A line torn by a write error is dropped when the log goes back to its last commit
    // (keepCommittedCheckpoints), before anything is appended after it.
    try (FileOutputStream file =
        new FileOutputStream(dir.resolve(Layout.CHECKPOINTS).toFile(), true)) {
      OutputStream out = through(Layout.CHECKPOINTS, file);
      out.write(line);
      out.flush();
      file.getChannel().force(false);
    }
    latest = checkpoint;
  }

  String tenant() {
    return tenant;
  }

  long committedSize() {
    return committed;
  }

  byte[] committedRoot() {
    return committedRoot.clone();
  }

  Optional<Checkpoint> latestCheckpoint() {
    return Optional.ofNullable(latest);
  }

  /**
   * Closes the files without writing what is still buffered: after a write error the log goes back
   * to its last commit, and those leaves are read again from Kafka.
   */
  void discard() throws IOException {
    IOException failure = null;
    for (FileOutputStream file : List.of(recordsFile, indexFile, treeFile)) {
      try {
        file.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() throws IOException {
    try (recordsFile;
        indexFile;
        treeFile) {
      flushBuffers();
    }
  }
}
