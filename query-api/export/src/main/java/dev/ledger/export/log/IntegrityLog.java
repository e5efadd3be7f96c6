package dev.ledger.export.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.export.format.AuditRecordJson;
import dev.ledger.export.log.internal.Layout;
import dev.ledger.export.log.internal.Writes;
import dev.ledger.export.sign.Checkpoint;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.schemas.avro.AuditRecord;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The writer of the integrity log: per tenant, an append-only RFC 9162 Merkle log of audit records,
 * in the order they are appended, under one directory (usually {@code data/integrity}).
 *
 * <p>Use: {@link #open} once per directory (a file lock keeps a second writer out), {@link #append}
 * records, then {@link #commit} with the Kafka offsets they came up to: the leaves and the offsets
 * become durable together, so after a crash the log resumes from the offsets with nothing lost and
 * nothing twice. A record whose event (tenant, token, event id) the tenant's log already holds is
 * not appended again (an amendment of a record, one with {@code amends}, is a leaf of its own:
 * {@link AuditRecordJson#leafId}). {@link #checkpointsDue} signs checkpoints over committed leaves.
 * After a write error (a full disk), {@link #reopenFromLastCommit} takes the log back to its last
 * commit, so nothing half-written stays. Thread-safe (one lock). Readers ({@link LogReader},
 * exports) need no writer and may run in another process.
 */
public final class IntegrityLog implements Closeable {

  /** The log's directory under the ledger's data directory. */
  public static final String DIRECTORY = "integrity";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final NotaryKey key;
  private final Clock clock;
  private final Writes writes;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final Map<String, TenantWriter> tenants = new HashMap<>();
  private final Map<String, Long> committedSizes = new TreeMap<>();
  private final Map<String, Long> offsets = new TreeMap<>();
  private final Map<String, Instant> lastCheckpointAt = new HashMap<>();

  private IntegrityLog(
      Path root,
      NotaryKey key,
      Clock clock,
      Writes writes,
      FileChannel lockChannel,
      FileLock lock) {
    this.root = root;
    this.key = key;
    this.clock = clock;
    this.writes = writes;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens (creating if needed) the log under {@code root}, signing with {@code key} and stamping
   * commit times from {@code clock}. Throws {@link IllegalStateException} if another writer holds
   * the directory, {@link IOException} if its files cannot be read or are damaged.
   */
  public static IntegrityLog open(Path root, NotaryKey key, Clock clock) throws IOException {
    return open(root, key, clock, Writes.DIRECT);
  }

  /**
   * {@link #open(Path, NotaryKey, Clock)} with every write of the log's files going through {@code
   * writes}: the seam where tests inject write errors, a full disk for one.
   */
  static IntegrityLog open(Path root, NotaryKey key, Clock clock, Writes writes)
      throws IOException {
    Files.createDirectories(root.resolve(Layout.TENANTS));
    FileChannel lockChannel =
        FileChannel.open(
            root.resolve(Layout.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null; // held by this JVM
    }
    if (lock == null) {
      lockChannel.close();
      throw new IllegalStateException("another notary is writing " + root);
    }
    IntegrityLog log = new IntegrityLog(root, key, clock, writes, lockChannel, lock);
    try {
      log.loadState();
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
    return log;
  }

  private void loadState() throws IOException {
    Path state = root.resolve(Layout.STATE);
    if (!Files.exists(state)) {
      return;
    }
    JsonNode json = JSON.readTree(state.toFile());
    json.path("offsets")
        .properties()
        .forEach(e -> offsets.put(e.getKey(), e.getValue().longValue()));
    json.path("tenants")
        .properties()
        .forEach(e -> committedSizes.put(e.getKey(), e.getValue().longValue()));
    for (Map.Entry<String, Long> e : committedSizes.entrySet()) {
      Layout.migrateLegacyDir(root, e.getKey());
      tenants.put(e.getKey(), TenantWriter.open(root, e.getKey(), e.getValue(), writes));
    }
  }

  /** The directory the log lives in. */
  public Path root() {
    return root;
  }

  /** The signing key. */
  public NotaryKey key() {
    return key;
  }

  /** Appends {@code record} (or an amendment) to its tenant's log; false if it is already there. */
  public boolean append(AuditRecord record) throws IOException {
    return append(AuditRecordJson.of(record));
  }

  /**
   * Appends an audit record in its contract JSON form ({@link AuditRecordJson}); false if its event
   * (tenant, token, event id) is already in its tenant's log. Throws {@link
   * IllegalArgumentException} if it has no {@code tenant}, {@code token_id} or {@code event_id}.
   */
  public synchronized boolean append(ObjectNode record) throws IOException {
    String tenant = AuditRecordJson.text(record, "tenant");
    if (tenant == null
        || tenant.isEmpty()
        || AuditRecordJson.text(record, "token_id") == null
        || AuditRecordJson.text(record, "event_id") == null) {
      throw new IllegalArgumentException(
          "an audit record needs a tenant, a token_id and an event_id");
    }
    TenantWriter writer = tenants.get(tenant);
    if (writer == null) {
      writer = TenantWriter.open(root, tenant, 0, writes);
      tenants.put(tenant, writer);
    }
    return writer.append(record, clock.millis());
  }

  /**
   * Makes every appended leaf durable together with {@code consumedOffsets} (partition name, e.g.
   * {@code ledger.audit-0}, to the next offset to read), which replace the stored ones per key. If
   * it throws, the committed state stays the previous one, on disk and here: call {@link
   * #reopenFromLastCommit} before appending again.
   */
  public synchronized void commit(Map<String, Long> consumedOffsets) throws IOException {
    Map<String, Long> sizes = new TreeMap<>(committedSizes);
    for (TenantWriter writer : tenants.values()) {
      if (writer.dirty()) {
        writer.force();
      }
      sizes.put(writer.tenant(), writer.committedSize());
    }
    Map<String, Long> nextOffsets = new TreeMap<>(offsets);
    nextOffsets.putAll(consumedOffsets);
    ObjectNode state = JSON.createObjectNode();
    state.put("version", 1);
    ObjectNode o = state.putObject("offsets");
    nextOffsets.forEach(o::put);
    ObjectNode t = state.putObject("tenants");
    sizes.forEach(t::put);
    Path tmp = root.resolve(Layout.STATE + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream out = writes.wrap(tmp, Channels.newOutputStream(ch));
      out.write(JSON.writeValueAsBytes(state));
      out.flush();
      ch.force(true);
    }
    Files.move(
        tmp,
        root.resolve(Layout.STATE),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    // The new state.json is durable only once the directory entry the rename changed is.
    Layout.syncDirectory(root);
    committedSizes.putAll(sizes);
    offsets.putAll(nextOffsets);
  }

  /**
   * Takes the log back to its last commit after a write error (a full disk): drops what was
   * appended since (every tenant's files cut back to their committed size, so no partial line or
   * leaf stays) and reads the committed state again; {@link #offsets()} are then where to consume
   * from, so nothing is skipped or appended twice. Throws if the files cannot be cut back or read
   * yet; calling again later is safe.
   */
  public synchronized void reopenFromLastCommit() throws IOException {
    for (TenantWriter writer : tenants.values()) {
      try {
        writer.discard();
      } catch (IOException e) {
        // Nothing of it is kept anyway: the open below cuts its files back.
      }
    }
    tenants.clear();
    committedSizes.clear();
    offsets.clear();
    Files.deleteIfExists(root.resolve(Layout.STATE + ".tmp"));
    loadState();
  }

  /** The committed consumer offsets, partition name to next offset. */
  public synchronized Map<String, Long> offsets() {
    return new LinkedHashMap<>(offsets);
  }

  /** The committed number of leaves of {@code tenant} (0 if it has none). */
  public synchronized long size(String tenant) {
    return committedSizes.getOrDefault(tenant, 0L);
  }

  /** The tenants with a log, sorted. */
  public synchronized List<String> tenants() {
    return new ArrayList<>(committedSizes.keySet());
  }

  /** The newest checkpoint of {@code tenant}. */
  public synchronized Optional<Checkpoint> latestCheckpoint(String tenant) {
    TenantWriter writer = tenants.get(tenant);
    return writer == null ? Optional.empty() : writer.latestCheckpoint();
  }

  /**
   * Signs and stores a checkpoint of {@code tenant}'s committed leaves now, unless the newest
   * checkpoint already has that size (then it is returned). Empty if the tenant has no leaf.
   */
  public synchronized Optional<Checkpoint> checkpoint(String tenant) throws IOException {
    TenantWriter writer = tenants.get(tenant);
    if (writer == null || writer.committedSize() == 0) {
      return Optional.empty();
    }
    Optional<Checkpoint> latest = writer.latestCheckpoint();
    if (latest.isPresent() && latest.get().treeSize() == writer.committedSize()) {
      return latest;
    }
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    Checkpoint c = key.sign(tenant, writer.committedSize(), writer.committedRoot(), now);
    writer.addCheckpoint(c);
    lastCheckpointAt.put(tenant, now);
    return Optional.of(c);
  }

  /**
   * Signs a checkpoint for every tenant with committed leaves not yet covered, when at least {@code
   * everyRecords} of them are waiting or {@code interval} has passed since its last one.
   */
  public synchronized List<Checkpoint> checkpointsDue(long everyRecords, Duration interval)
      throws IOException {
    List<Checkpoint> signed = new ArrayList<>();
    Instant now = clock.instant();
    for (TenantWriter writer : tenants.values()) {
      long covered = writer.latestCheckpoint().map(Checkpoint::treeSize).orElse(0L);
      long waiting = writer.committedSize() - covered;
      Instant last = lastCheckpointAt.getOrDefault(writer.tenant(), Instant.EPOCH);
      if (waiting > 0 && (waiting >= everyRecords || !now.isBefore(last.plus(interval)))) {
        checkpoint(writer.tenant()).ifPresent(signed::add);
      }
    }
    return signed;
  }

  @Override
  public synchronized void close() throws IOException {
    IOException failure = null;
    for (TenantWriter writer : tenants.values()) {
      try {
        writer.close();
      } catch (IOException e) {
        failure = e;
      }
    }
    tenants.clear();
    lock.release();
    lockChannel.close();
    if (failure != null) {
      throw failure;
    }
  }
}
