package dev.ledger.index;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * A disk that fills up on command, for the index's directory seam ({@link LedgerIndex#open(
 * java.nio.file.Path, java.time.Duration, UnaryOperator)}): while {@link #fill() full}, every file
 * Lucene creates, and every write to a file it has open, fails with the IOException a full disk
 * gives ("No space left on device"); reads, renames, syncs and deletes work, as on a real full
 * disk.
 */
final class FullDisk implements UnaryOperator<Directory> {

  static final String NO_SPACE = "No space left on device";

  private final AtomicBoolean full = new AtomicBoolean();
  private final AtomicInteger refused = new AtomicInteger();

  /** From now on, writes fail. */
  void fill() {
    full.set(true);
  }

  /** From now on, writes succeed again. */
  void free() {
    full.set(false);
  }

  /** Writes refused so far. */
  int refused() {
    return refused.get();
  }

  private void check(String what) throws IOException {
    if (full.get()) {
      refused.incrementAndGet();
      throw new IOException(NO_SPACE + " (injected, writing " + what + ")");
    }
  }

  @Override
  public Directory apply(Directory directory) {
    return new FilterDirectory(directory) {
      @Override
      public IndexOutput createOutput(String name, IOContext context) throws IOException {
        check(name);
        return new Output(in.createOutput(name, context));
      }

      @Override
      public IndexOutput createTempOutput(String prefix, String suffix, IOContext context)
          throws IOException {
        check(prefix);
        return new Output(in.createTempOutput(prefix, suffix, context));
      }
    };
  }

  /** An output whose writes fail while the disk is full. */
  private final class Output extends IndexOutput {
    private final IndexOutput out;

    Output(IndexOutput out) {
      super("FullDisk(" + out + ")", out.getName());
      this.out = out;
    }

    @Override
    public void writeByte(byte b) throws IOException {
      check(out.getName());
      out.writeByte(b);
    }

    @Override
    public void writeBytes(byte[] b, int offset, int length) throws IOException {
      check(out.getName());
      out.writeBytes(b, offset, length);
    }

    @Override
    public long getFilePointer() {
      return out.getFilePointer();
    }

    @Override
    public long getChecksum() throws IOException {
      return out.getChecksum();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
