package dev.ledger.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Where a revocation-stream client stands: for each partition of {@code ledger.revocations}, the
 * offset of the last notice or tombstone it got from that partition; a partition absent means
 * nothing from it yet. Offsets are the topic's, not an index's, so every index instance fed from
 * the same topic reads a position the same way: a client resumes exactly at any instance (issue
 * 23). It is the SSE {@code id:} and {@code Last-Event-ID} of {@code /v1/revocations/stream}.
 *
 * <p>Wire form: {@code <partition>:<offset>} pairs joined by {@code ,}, ascending partition (for
 * example {@code 0:17,1:5,2:230}). The position before everything, {@link #START}, is written
 * {@code 0}: a {@code Last-Event-ID: 0} asked for the whole replay before positions existed and
 * still does, and a client must be able to send it back after a replay that found nothing.
 * Immutable.
 */
public final class RevocationPosition {

  /** Nothing delivered from any partition: resuming from it replays everything. */
  public static final RevocationPosition START = new RevocationPosition(new TreeMap<>());

  /**
   * At most this many partitions. Each one named costs one clause of the resume query, and Lucene
   * refuses a query of more than 1,024 clauses; far more than a revocation topic needs.
   */
  public static final int MAX_PARTITIONS = 1_000;

  /** At most this many characters, checked before parsing: a header is not a place for more. */
  public static final int MAX_LENGTH = 16 * 1024;

  /** The header a parse problem names. */
  private static final String PARAMETER = "Last-Event-ID";

  private static final String START_FORM = "0";

  private final NavigableMap<Integer, Long> offsets;

  private RevocationPosition(NavigableMap<Integer, Long> offsets) {
    this.offsets = Collections.unmodifiableNavigableMap(offsets);
  }

  /**
   * Parses the wire form, trimmed; {@code 0} is {@link #START}.
   *
   * @throws InvalidQueryException naming {@code Last-Event-ID} with every problem found: too long,
   *     too many partitions, a pair that is not {@code <partition>:<offset>}, a number that is not
   *     a non-negative integer, a partition named twice, partitions out of ascending order, or a
   *     bare number (an id of the sequences before contract v1.17)
   */
  public static RevocationPosition parse(String text) throws InvalidQueryException {
    String s = text.strip();
    if (s.length() > MAX_LENGTH) {
      throw new InvalidQueryException(
          PARAMETER, "longer than " + MAX_LENGTH + " characters (" + s.length() + ")");
    }
    if (s.equals(START_FORM)) {
      return START;
    }
    if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
      throw new InvalidQueryException(
          PARAMETER,
          "'"
              + s
              + "' is a sequence number of contract v1.16 or earlier, which no longer means"
              + " anything; expected <partition>:<offset> pairs");
    }
    String[] pairs = s.split(",", -1);
    List<String> problems = new ArrayList<>();
    if (pairs.length > MAX_PARTITIONS) {
      problems.add("more than " + MAX_PARTITIONS + " partitions (" + pairs.length + ")");
    }
    TreeMap<Integer, Long> offsets = new TreeMap<>();
    int previous = -1;
    for (int i = 0; i < pairs.length && problems.size() < 100; i++) {
      String pair = pairs[i];
      int colon = pair.indexOf(':');
      if (colon < 0) {
        problems.add("pair " + (i + 1) + " '" + pair + "' is not <partition>:<offset>");
        continue;
      }
      long p = number(pair.substring(0, colon));
      long offset = number(pair.substring(colon + 1));
      if (p < 0 || p > Integer.MAX_VALUE || offset < 0) {
        problems.add(
            "pair "
                + (i + 1)
                + " '"
                + pair
                + "': partition and offset must be non-negative integers");
        continue;
      }
      int partition = (int) p;
      if (offsets.containsKey(partition)) {
        problems.add("partition " + partition + " appears twice");
      } else if (partition < previous) {
        problems.add("partition " + partition + " after " + previous + ": not ascending");
      }
      offsets.put(partition, offset);
      previous = Math.max(previous, partition);
    }
    if (!problems.isEmpty()) {
      throw new InvalidQueryException(
          problems.stream().map(p -> new InvalidQueryException.Problem(PARAMETER, p)).toList());
    }
    return new RevocationPosition(offsets);
  }

  /** A non-negative decimal, or -1 when {@code s} is none (or beyond a long). */
  private static long number(String s) {
    if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1; // 19 digits beyond Long.MAX_VALUE
    }
  }

  /** A position from {@code partition -> offset} (tests, and an index's end). */
  public static RevocationPosition of(Map<Integer, Long> offsets) {
    if (offsets.size() > MAX_PARTITIONS) {
      throw new IllegalArgumentException("more than " + MAX_PARTITIONS + " partitions");
    }
    offsets.forEach(RevocationPosition::check);
    return new RevocationPosition(new TreeMap<>(offsets));
  }

  /** True when the record at {@code offset} of {@code partition} is delivered at this position. */
  public boolean covers(int partition, long offset) {
    Long last = offsets.get(partition);
    return last != null && offset <= last;
  }

  /**
   * This position with the record at {@code offset} of {@code partition} delivered: the offset
   * never goes back, so advancing by a record it already covers returns this position.
   */
  public RevocationPosition advance(int partition, long offset) {
    check(partition, offset);
    if (covers(partition, offset)) {
      return this;
    }
    if (!offsets.containsKey(partition) && offsets.size() >= MAX_PARTITIONS) {
      throw new IllegalStateException("more than " + MAX_PARTITIONS + " partitions");
    }
    TreeMap<Integer, Long> next = new TreeMap<>(offsets);
    next.put(partition, offset);
    return new RevocationPosition(next);
  }

  /** Partition to the offset of the last record delivered from it, ascending partition. */
  public NavigableMap<Integer, Long> offsets() {
    return offsets;
  }

  private static void check(int partition, long offset) {
    if (partition < 0 || offset < 0) {
      throw new IllegalArgumentException(
          "partition and offset must be >= 0: " + partition + ":" + offset);
    }
  }

  /** The wire form (see the class comment): {@link #parse} reads it back. */
  @Override
  public String toString() {
    if (offsets.isEmpty()) {
      return START_FORM;
    }
    StringBuilder b = new StringBuilder();
    offsets.forEach(
        (p, o) -> {
          if (!b.isEmpty()) {
            b.append(',');
          }
          b.append(p).append(':').append(o);
        });
    return b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RevocationPosition other && offsets.equals(other.offsets);
  }

  @Override
  public int hashCode() {
    return offsets.hashCode();
  }
}
