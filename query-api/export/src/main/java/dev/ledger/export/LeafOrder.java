package dev.ledger.export;

import dev.ledger.export.VerificationReport.Kind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The order and completeness check of {@link Verifier}: fed each record line's leaf index in file
 * order, it reports a leaf out of order or repeated as it is seen, and the leaves never seen once
 * the file ends. A leaf that arrives late fills (part of) the gap it left, so a swapped pair is one
 * "out of order" finding, not a "missing" one too. Holds the open gaps only, at most {@code
 * maxGaps}: a damaged file costs bounded memory.
 */
final class LeafOrder {

  /** Leaves {@code [from, to)} not seen between lines {@code lineBefore} and {@code lineAfter}. */
  private record Gap(long from, long to, long lineBefore, long lineAfter) {}

  private final BiConsumer<Kind, String> problems;
  private final int maxGaps;
  private final List<Gap> gaps = new ArrayList<>();
  private long expected;
  private long previousLeaf = -1;
  private long previousLine;

  /** Starts at {@code firstLeaf}, the header's range start; findings go to {@code problems}. */
  LeafOrder(long firstLeaf, int maxGaps, BiConsumer<Kind, String> problems) {
    this.expected = firstLeaf;
    this.maxGaps = maxGaps;
    this.problems = problems;
  }

  /** The record on {@code lineNo} has leaf index {@code leaf}. */
  void accept(long leaf, long lineNo) {
    if (leaf == expected) {
      expected++;
    } else if (leaf > expected) {
      if (gaps.size() < maxGaps) {
        gaps.add(new Gap(expected, leaf, lineNo - 1, lineNo));
      }
      expected = leaf + 1;
    } else if (fillGap(leaf)) {
      problems.accept(
          Kind.OUT_OF_ORDER,
          "lines "
              + previousLine
              + "-"
              + lineNo
              + ": out of order: leaf "
              + leaf
              + " comes after leaf "
              + previousLeaf);
    } else {
      problems.accept(
          Kind.OUT_OF_ORDER,
          "line "
              + lineNo
              + ": leaf "
              + leaf
              + " repeated or out of order (after leaf "
              + previousLeaf
              + ")");
    }
    previousLeaf = leaf;
    previousLine = lineNo;
  }

  /**
   * The file ended, its last record line being {@code lastLine}: reports every gap left open and
   * whether the leaves stop short of, or go past, the header's range end {@code endLeaf}.
   */
  void finish(long endLeaf, long lastLine) {
    for (Gap g : gaps) {
      problems.accept(
          Kind.MISSING,
          "record missing: "
              + leaves(g.from, g.to)
              + " between line "
              + g.lineBefore
              + " and "
              + g.lineAfter);
    }
    if (expected < endLeaf) {
      problems.accept(
          Kind.MISSING,
          "record missing: "
              + leaves(expected, endLeaf)
              + " after line "
              + lastLine
              + " (the header's range ends at leaf "
              + (endLeaf - 1)
              + ")");
    } else if (expected > endLeaf) {
      problems.accept(
          Kind.SCOPE,
          "the records go up to leaf "
              + (expected - 1)
              + ", past the header's range end "
              + (endLeaf - 1));
    }
  }

  private boolean fillGap(long leaf) {
    for (Iterator<Gap> it = gaps.iterator(); it.hasNext(); ) {
      Gap g = it.next();
      if (leaf >= g.from && leaf < g.to) {
        it.remove();
        if (leaf > g.from) {
          gaps.add(new Gap(g.from, leaf, g.lineBefore, g.lineAfter));
        }
        if (leaf + 1 < g.to) {
          gaps.add(new Gap(leaf + 1, g.to, g.lineBefore, g.lineAfter));
        }
        return true;
      }
    }
    return false;
  }

  private static String leaves(long from, long to) {
    return to - from == 1 ? "leaf " + from : "leaves " + from + "-" + (to - 1);
  }
}
