package dev.ledger.export.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * Proof that leaves {@code [begin, end)} are exactly those of a tree of size {@code treeSize}: the
 * peaks of {@code [0, begin)} ({@code left}, largest first) and the perfect subtrees that cover
 * {@code [end, treeSize)} ({@code right}, left to right, see {@link CompactRange#cover}). Together
 * with the hashes of the leaves in between they reproduce the root, so no leaf of the range can be
 * changed, dropped, added or moved. It has at most 2 log2(n) hashes whatever the range's length,
 * and the verifier needs O(log n) memory to check it while streaming.
 *
 * @param left never null
 * @param right never null
 */
public record RangeProof(List<byte[]> left, List<byte[]> right) {

  public RangeProof {
    left = List.copyOf(left);
    right = List.copyOf(right);
  }

  /** The proof for leaves {@code [begin, end)} of the tree of size {@code treeSize}. */
  public static RangeProof of(SubtreeHashes tree, long begin, long end, long treeSize) {
    if (begin < 0 || begin > end || end > treeSize) {
      throw new IllegalArgumentException(
          "[" + begin + ", " + end + ") is not within a tree of size " + treeSize);
    }
    List<byte[]> left = new ArrayList<>();
    long position = 0;
    for (int level : CompactRange.peakLevels(begin)) {
      left.add(tree.perfect(level, position >>> level));
      position += 1L << level;
    }
    List<byte[]> right = new ArrayList<>();
    for (long[] node : CompactRange.cover(end, treeSize)) {
      right.add(tree.perfect((int) node[0], node[1]));
    }
    return new RangeProof(left, right);
  }

  /**
   * A compact range positioned at {@code begin}, ready for the range's leaf hashes; throws {@link
   * IllegalArgumentException} if {@code left} has the wrong number of hashes.
   */
  public CompactRange start(long begin) {
    return CompactRange.ofPeaks(begin, left, null);
  }

  /**
   * Appends {@code right} to a range that has taken every leaf and returns the root of the tree of
   * size {@code treeSize}; throws {@link IllegalArgumentException} if {@code right} has the wrong
   * number of hashes for the range's end and {@code treeSize}.
   */
  public byte[] finish(CompactRange range, long treeSize) {
    List<long[]> cover = CompactRange.cover(range.end(), treeSize);
    if (range.end() > treeSize || cover.size() != right.size()) {
      throw new IllegalArgumentException(
          "the range ends at leaf "
              + range.end()
              + ": a tree of size "
              + treeSize
              + " needs "
              + cover.size()
              + " right-hand hashes, the proof has "
              + right.size());
    }
    for (int i = 0; i < cover.size(); i++) {
      range.append((int) cover.get(i)[0], right.get(i));
    }
    return range.root();
  }
}
