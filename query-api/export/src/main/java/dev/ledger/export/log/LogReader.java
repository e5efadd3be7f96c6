package dev.ledger.export.log;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.export.log.internal.Layout;
import dev.ledger.export.merkle.SubtreeHashes;
import dev.ledger.export.sign.Checkpoint;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Read-only access to one tenant's Merkle log, safe while the notary appends to it in this or
 * another process: it reads only leaves below a checkpoint's tree size, which the notary has forced
 * to disk before signing. Close it when done. Not thread-safe; open one per export.
 */
public final class LogReader implements SubtreeHashes, Closeable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final String tenant;
  private final FileChannel index;
  private final FileChannel tree;
  private final ByteBuffer hash = ByteBuffer.allocate(Layout.HASH);
  private final ByteBuffer entry = ByteBuffer.allocate(Layout.INDEX_ENTRY);

  private LogReader(Path dir, String tenant, FileChannel index, FileChannel tree) {
    this.dir = dir;
    this.tenant = tenant;
    this.index = index;
    this.tree = tree;
  }

  /**
   * Opens the log of {@code tenant} under the integrity directory {@code root}, or returns empty
   * when the tenant has no log there.
   */
  public static Optional<LogReader> open(Path root, String tenant) throws IOException {
    Path dir = Layout.tenantDir(root, tenant);
    try {
      FileChannel index = FileChannel.open(dir.resolve(Layout.INDEX), StandardOpenOption.READ);
      try {
        return Optional.of(
            new LogReader(
                dir,
                tenant,
                index,
                FileChannel.open(dir.resolve(Layout.TREE), StandardOpenOption.READ)));
      } catch (IOException e) {
        index.close();
        throw e;
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  public String tenant() {
    return tenant;
  }

  /**
   * The newest complete checkpoint in the tenant's checkpoint file, or empty. A torn last line (the
   * notary was writing it) is skipped.
   */
  public Optional<Checkpoint> latestCheckpoint() throws IOException {
    return latestCheckpoint(dir.resolve(Layout.CHECKPOINTS));
  }

  static Optional<Checkpoint> latestCheckpoint(Path file) throws IOException {
    Checkpoint latest = null;
    try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        try {
          latest = Checkpoint.fromJson(JSON.readTree(line));
        } catch (IOException | IllegalArgumentException e) {
          // torn tail: the checkpoints before it stand
        }
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(latest);
  }

  @Override
  public byte[] perfect(int level, long index) {
    try {
      hash.clear();
      readFully(tree, hash, Layout.treePosition(level, index));
      return hash.array().clone();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** End offset of leaf {@code leaf}'s line in the records file (0 for leaf -1). */
  public long recordEnd(long leaf) throws IOException {
    return leaf < 0 ? 0 : readEntry(leaf).getLong(0);
  }

  /** Commit time of leaf {@code leaf}, epoch millis. */
  public long committedAtMillis(long leaf) throws IOException {
    return readEntry(leaf).getLong(8);
  }

  /**
   * The first leaf below {@code size} committed at or after {@code millis}; {@code size} if none.
   */
  public long firstAtOrAfter(long millis, long size) throws IOException {
    long lo = 0;
    long hi = size;
    while (lo < hi) {
      long mid = (lo + hi) >>> 1;
      if (committedAtMillis(mid) < millis) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Receives leaves in order. */
  @FunctionalInterface
  public interface LeafConsumer {
    /** Leaf {@code leaf} holds {@code data} (its leaf data, without the line's newline). */
    void accept(long leaf, byte[] data) throws IOException;
  }

  /**
   * Streams leaves {@code [from, to)} in order through {@code consumer}, reading the records file
   * sequentially with fixed buffers: memory does not grow with the range.
   */
  public void forEach(long from, long to, LeafConsumer consumer) throws IOException {
    if (from >= to) {
      return;
    }
    long start = recordEnd(from - 1);
    try (FileChannel records =
            FileChannel.open(dir.resolve(Layout.RECORDS), StandardOpenOption.READ);
        FileChannel idx = FileChannel.open(dir.resolve(Layout.INDEX), StandardOpenOption.READ)) {
      records.position(start);
      idx.position(from * Layout.INDEX_ENTRY);
      DataInputStream lines =
          new DataInputStream(new BufferedInputStream(Channels.newInputStream(records), 1 << 16));
      DataInputStream entries =
          new DataInputStream(new BufferedInputStream(Channels.newInputStream(idx), 1 << 16));
      long previousEnd = start;
      for (long leaf = from; leaf < to; leaf++) {
        long end = entries.readLong();
        entries.skipNBytes(Layout.INDEX_ENTRY - 8);
        int length = Math.toIntExact(end - previousEnd);
        byte[] line = new byte[length];
        lines.readFully(line);
        if (length == 0 || line[length - 1] != '\n') {
          throw new IOException("records file of " + tenant + " is damaged at leaf " + leaf);
        }
        consumer.accept(leaf, java.util.Arrays.copyOf(line, length - 1));
        previousEnd = end;
      }
    } catch (EOFException e) {
      throw new IOException("log of " + tenant + " is shorter than leaf " + to, e);
    }
  }

  /** The leaf data of one leaf. */
  byte[] leafData(long leaf) throws IOException {
    byte[][] out = new byte[1][];
    forEach(leaf, leaf + 1, (i, data) -> out[0] = data);
    return out[0];
  }

  private ByteBuffer readEntry(long leaf) throws IOException {
    entry.clear();
    readFully(index, entry, leaf * Layout.INDEX_ENTRY);
    return entry;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long p = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, p);
      if (n < 0) {
        throw new EOFException("read past the end of the log at byte " + position);
      }
      p += n;
    }
    buffer.flip();
  }

  @Override
  public void close() throws IOException {
    try (index;
        tree) {
      // closes both, even if one fails
    }
  }
}
