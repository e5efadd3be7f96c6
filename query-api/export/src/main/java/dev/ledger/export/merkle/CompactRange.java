package dev.ledger.export.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hashes that summarise leaves {@code [0, end)} of an RFC 9162 tree in O(log n) space: one
 * perfect subtree per set bit of {@code end}, largest (leftmost) first, the "peaks". Appending a
 * leaf merges equal-sized peaks like a binary counter; the tree root folds the peaks from the
 * right, which is exactly RFC 9162's split at the largest power of two below the size.
 *
 * <p>The log appends with it (and writes every node it creates to a {@link NodeSink}); the verifier
 * replays an export with it, starting from the peaks left of the first exported leaf. Not
 * thread-safe.
 */
public final class CompactRange {

  /** Receives every node a range creates, leaves included, in creation order. */
  @FunctionalInterface
  public interface NodeSink {
    /** The perfect subtree at {@code level}, {@code index} now has hash {@code hash}. */
    void node(int level, long index, byte[] hash);
  }

  private static final NodeSink NONE = (level, index, hash) -> {};

  private final byte[][] hashes = new byte[64][];
  private final int[] levels = new int[64];
  private int size;
  private long end;
  private final NodeSink sink;

  private CompactRange(NodeSink sink) {
    this.sink = sink == null ? NONE : sink;
  }

  /** An empty range at position 0; {@code sink} may be null. */
  public static CompactRange empty(NodeSink sink) {
    return new CompactRange(sink);
  }

  /**
   * The range {@code [0, end)} given its peaks, largest first (as {@link #peaks()} returns them);
   * throws {@link IllegalArgumentException} if their number is not the number of set bits of {@code
   * end}.
   */
  public static CompactRange ofPeaks(long end, List<byte[]> peaks, NodeSink sink) {
    int[] peakLevels = peakLevels(end);
    if (peaks.size() != peakLevels.length) {
      throw new IllegalArgumentException(
          "a range ending at " + end + " has " + peakLevels.length + " peaks, got " + peaks.size());
    }
    CompactRange range = new CompactRange(sink);
    long position = 0;
    for (int i = 0; i < peakLevels.length; i++) {
      range.hashes[i] = checkSize(peaks.get(i));
      range.levels[i] = peakLevels[i];
      position += 1L << peakLevels[i];
    }
    range.size = peakLevels.length;
    range.end = position;
    return range;
  }

  /** The levels of the peaks of {@code [0, end)}, largest first. */
  public static int[] peakLevels(long end) {
    int[] out = new int[Long.bitCount(end)];
    int i = 0;
    for (int level = 63; level >= 0; level--) {
      if ((end & (1L << level)) != 0) {
        out[i++] = level;
      }
    }
    return out;
  }

  /**
   * The perfect subtrees, left to right, that cover {@code [begin, end)} when appended to a range
   * ending at {@code begin}: each is the largest aligned subtree that starts at the current
   * position and does not pass {@code end}. Each element is {@code {level, index}}.
   */
  public static List<long[]> cover(long begin, long end) {
    List<long[]> out = new ArrayList<>();
    long x = begin;
    while (x < end) {
      int align = x == 0 ? 63 : Long.numberOfTrailingZeros(x);
      int fit = 63 - Long.numberOfLeadingZeros(end - x);
      int level = Math.min(align, fit);
      out.add(new long[] {level, x >>> level});
      x += 1L << level;
    }
    return out;
  }

  /** The position after the last leaf covered. */
  public long end() {
    return end;
  }

  /** Appends one leaf hash. */
  public void appendLeaf(byte[] leafHash) {
    append(0, leafHash);
  }

  /**
   * Appends the perfect subtree at {@code level} that starts at {@link #end()}; throws {@link
   * IllegalArgumentException} if {@code end} is not a multiple of its size.
   */
  public void append(int level, byte[] hash) {
    if (level < 0 || level > 62 || (end & ((1L << level) - 1)) != 0) {
      throw new IllegalArgumentException("a level-" + level + " subtree cannot start at " + end);
    }
    checkSize(hash);
    sink.node(level, end >>> level, hash);
    hashes[size] = hash;
    levels[size] = level;
    size++;
    end += 1L << level;
    while (size >= 2 && levels[size - 1] == levels[size - 2]) {
      int merged = levels[size - 1] + 1;
      byte[] node = Hashes.node(hashes[size - 2], hashes[size - 1]);
      size--;
      hashes[size] = null;
      hashes[size - 1] = node;
      levels[size - 1] = merged;
      sink.node(merged, (end >>> merged) - 1, node);
    }
  }

  /** The peaks, largest first (copies). */
  public List<byte[]> peaks() {
    List<byte[]> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(hashes[i].clone());
    }
    return out;
  }

  /** The RFC 9162 root of the tree of size {@link #end()}; the empty hash if it has no leaf. */
  public byte[] root() {
    if (size == 0) {
      return Hashes.empty();
    }
    byte[] h = hashes[size - 1];
    for (int i = size - 2; i >= 0; i--) {
      h = Hashes.node(hashes[i], h);
    }
    return h.clone();
  }

  private static byte[] checkSize(byte[] hash) {
    if (hash == null || hash.length != Hashes.SIZE) {
      throw new IllegalArgumentException(
          "a hash is 32 bytes, got " + (hash == null ? "null" : String.valueOf(hash.length)));
    }
    return hash;
  }

  @Override
  public String toString() {
    return "CompactRange[end="
        + end
        + ", levels="
        + Arrays.toString(Arrays.copyOf(levels, size))
        + "]";
  }
}
