package dev.ledger.export.log;

import dev.ledger.export.log.internal.Writes;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A disk that fills up on command, for the integrity log's write seam ({@link Writes}): once full,
 * a write stores what still fits, a partial line as on a real full disk, then fails with the
 * IOException a full disk gives ("No space left on device").
 */
final class FullDisk implements Writes {

  static final String NO_SPACE = "No space left on device";

  private static final long UNLIMITED = Long.MAX_VALUE;

  private final AtomicLong left = new AtomicLong(UNLIMITED);
  private final AtomicInteger refused = new AtomicInteger();

  /** Lets {@code bytes} more bytes through, then fails every write. */
  void fillAfter(long bytes) {
    left.set(bytes);
  }

  /** From now on every write fits again. */
  void free() {
    left.set(UNLIMITED);
  }

  /** Writes refused so far. */
  int refused() {
    return refused.get();
  }

  /** How many of {@code length} bytes fit, taken from what is left. */
  private int take(int length) {
    while (true) {
      long now = left.get();
      if (now == UNLIMITED) {
        return length;
      }
      long room = Math.min(now, length);
      if (left.compareAndSet(now, now - room)) {
        return (int) room;
      }
    }
  }

  @Override
  public OutputStream wrap(Path file, OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int offset, int length) throws IOException {
        int room = take(length);
        out.write(b, offset, room);
        if (room < length) {
          refused.incrementAndGet();
          throw new IOException(NO_SPACE + " (injected, writing " + file.getFileName() + ")");
        }
      }
    };
  }
}
