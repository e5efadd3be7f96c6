package dev.ledger.bench.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where another process's CPU went, by thread group, over an interval: the stream thread, the JIT
 * compiler, the garbage collector, the broker's request handlers. Read from Linux's {@code
 * /proc/<pid>/task/<tid>/comm} and {@code stat}; threads whose names differ only in digits (the
 * broker's handler pool, G1's workers) are one group.
 *
 * <p>Take a {@link #mark} before the interval and call {@link Mark#coresSince} after it. A thread
 * that ends within the interval is no longer listed at its end, so what such threads used is the
 * group {@value #ENDED}: the process's own figure less every listed thread's. Lucene starts a
 * thread per merge, so under load that group is mostly merges.
 */
public final class ThreadCpu {

  /** The group of the threads that ended within the interval. */
  public static final String ENDED = "ended-threads";

  private ThreadCpu() {}

  /**
   * CPU of every thread group of a process at one moment.
   *
   * @param processNanos the CPU of the whole process, ended threads included
   */
  public record Mark(
      long pid,
      long atNanos,
      long processNanos,
      Map<String, Long> tidNanos,
      Map<String, String> group) {

    /**
     * @return each group's cores used since this mark (CPU time over wall time), largest first,
     *     those under {@code min} left out
     */
    public Map<String, Double> coresSince(double min) {
      Mark now = mark(pid);
      double wall = Math.max(1, now.atNanos - atNanos);
      Map<String, Double> cores = new HashMap<>();
      long listed = 0;
      for (Map.Entry<String, Long> thread : now.tidNanos.entrySet()) {
        long used = thread.getValue() - tidNanos.getOrDefault(thread.getKey(), 0L);
        listed += used;
        cores.merge(now.group.get(thread.getKey()), used / wall, Double::sum);
      }
      cores.put(ENDED, Math.max(0, now.processNanos - processNanos - listed) / wall);
      return cores.entrySet().stream()
          .filter(e -> e.getValue() >= min)
          .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
          .collect(
              Collectors.toMap(
                  Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** The cores the whole process used since this mark (CPU time over wall time). */
    public double processCoresSince() {
      Mark now = mark(pid);
      return (now.processNanos - processNanos) / (double) Math.max(1, now.atNanos - atNanos);
    }

    /** {@link #coresSince} as {@code name=0.52 name=0.31 ...}, for a benchmark's raw output. */
    public String formatSince(double min) {
      return coresSince(min).entrySet().stream()
          .map(e -> String.format(Locale.ROOT, "%s=%.2f", e.getKey(), e.getValue()))
          .collect(Collectors.joining(" "));
    }
  }

  /** The CPU each thread of {@code pid} has used so far; empty where /proc cannot be read. */
  public static Mark mark(long pid) {
    Map<String, Long> nanos = new HashMap<>();
    Map<String, String> groups = new HashMap<>();
    long at = System.nanoTime();
    long process = 0;
    try (DirectoryStream<Path> tasks =
        Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
      // Read before the threads, so that a thread ending meanwhile is not counted twice.
      process = nanos(Files.readString(Path.of("/proc/" + pid + "/stat")));
      for (Path task : tasks) {
        try {
          String comm = Files.readString(task.resolve("comm")).strip();
          String tid = task.getFileName().toString();
          nanos.put(tid, nanos(Files.readString(task.resolve("stat"))));
          groups.put(tid, group(comm));
        } catch (IOException | RuntimeException e) {
          // The thread ended between listing and reading: it is not in this mark.
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or the process is gone: an empty mark.
    }
    return new Mark(pid, at, process, Map.copyOf(nanos), Map.copyOf(groups));
  }

  private static long nanos(String stat) {
    return ProcStat.parseCpuTicks(stat) * (1_000_000_000L / ProcStat.TICKS_PER_SECOND);
  }

  /**
   * The group of a thread name: digits dropped, and the JIT compiler's and G1's threads under one
   * readable name each (Linux keeps 15 characters of a thread's name).
   */
  static String group(String comm) {
    if (comm.matches("C[12] CompilerThre.*")) {
      return "jit-compiler";
    }
    if (comm.startsWith("G1 ") || comm.startsWith("GC Thread")) {
      return comm.startsWith("G1 Conc") ? "gc-concurrent-mark" : "gc";
    }
    return comm.replaceAll("[0-9]+", "#").replace(' ', '_');
  }
}
