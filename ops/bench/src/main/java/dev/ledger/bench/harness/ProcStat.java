package dev.ledger.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory and CPU of another process, read from Linux's {@code /proc/<pid>/status} (VmRSS, RssAnon,
 * RssFile, RssShmem) and {@code /proc/<pid>/stat} (utime + stime). This is how the bench measures
 * the ledger under test alone, without the load generator that runs in the bench's own JVM.
 */
public final class ProcStat {

  /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux the bench runs on. */
  static final long TICKS_PER_SECOND = 100;

  private ProcStat() {}

  /**
   * A resident set size and its two parts, in bytes: {@code anonymous} (heap, stacks, native
   * allocations: RssAnon) and {@code files} (pages of mapped files, Lucene's segments above all,
   * and shared memory: RssFile + RssShmem), which the kernel can drop and read again. -1 where
   * unknown.
   */
  public record Resident(long total, long anonymous, long files) {

    /** Nothing could be read. */
    public static final Resident UNKNOWN = new Resident(-1, -1, -1);
  }

  /** Resident set size of {@code pid} in bytes, or -1 when it cannot be read (gone, not Linux). */
  public static long residentBytes(long pid) {
    return resident(pid).total();
  }

  /** {@link #residentBytes} with its parts; {@link Resident#UNKNOWN} when it cannot be read. */
  public static Resident resident(long pid) {
    try {
      return parseResident(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    } catch (IOException | RuntimeException e) {
      return Resident.UNKNOWN;
    }
  }

  /** CPU nanoseconds (user + system) {@code pid} has used, or -1 when it cannot be read. */
  public static long cpuNanos(long pid) {
    try {
      return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
          * (1_000_000_000L / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * VmRSS, RssAnon and RssFile + RssShmem of a {@code status} file, in bytes; -1 for lines it lacks
   * (a zombie has none).
   */
  static Resident parseResident(String status) {
    long total = -1;
    long anonymous = -1;
    long files = -1;
    for (String line : status.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      switch (line.substring(0, colon)) {
        case "VmRSS" -> total = kibAsBytes(line, colon);
        case "RssAnon" -> anonymous = kibAsBytes(line, colon);
        case "RssFile", "RssShmem" -> files = Math.max(0, files) + kibAsBytes(line, colon);
        default -> {}
      }
    }
    return new Resident(total, anonymous, files);
  }

  private static long kibAsBytes(String line, int colon) {
    return Long.parseLong(line.substring(colon + 1).trim().split("\\s+")[0]) * 1024;
  }

  /**
   * utime + stime (fields 14 and 15) of a {@code stat} line, in clock ticks. The command name
   * (field 2) is in parentheses and may hold spaces and parentheses itself, so fields are counted
   * from the last closing parenthesis.
   */
  static long parseCpuTicks(String stat) {
    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // rest[0] is field 3 (state): utime is field 14, stime field 15.
    return Long.parseLong(rest[14 - 3]) + Long.parseLong(rest[15 - 3]);
  }
}
