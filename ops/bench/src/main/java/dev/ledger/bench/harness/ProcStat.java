package dev.ledger.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory and CPU of another process, read from Linux's {@code /proc/<pid>/status} (VmRSS) and
 * {@code /proc/<pid>/stat} (utime + stime). This is how the bench measures the ledger under test
 * alone, without the load generator that runs in the bench's own JVM.
 */
public final class ProcStat {

  /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux the bench runs on. */
  static final long TICKS_PER_SECOND = 100;

  private ProcStat() {}

  /** Resident set size of {@code pid} in bytes, or -1 when it cannot be read (gone, not Linux). */
  public static long residentBytes(long pid) {
    try {
      return parseResidentBytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
    } catch (IOException | RuntimeException e) {
      return -1;
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
   * The VmRSS line of a {@code status} file, in bytes; -1 when there is none (a zombie has none).
   */
  static long parseResidentBytes(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
        long kib = Long.parseLong(parts[0]);
        return kib * 1024;
      }
    }
    return -1;
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
