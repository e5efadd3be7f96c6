package dev.ledger.bench.harness;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a result was measured on: cores, memory, JDK, and how busy it was. Numbers taken on a
 * busy shared machine are labelled so, because absolute values then mean little (ratios measured
 * side by side still do).
 *
 * @param cores available processors
 * @param memoryBytes physical memory
 * @param jdk the JVM's name and version
 * @param os operating system and kernel
 * @param loadAverage the 1-minute load average when read, or -1 where unknown
 */
public record Machine(int cores, long memoryBytes, String jdk, String os, double loadAverage) {

  /** The machine this JVM runs on, now. */
  public static Machine current() {
    long memory = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      memory = os.getTotalMemorySize();
    }
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        memory,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * Busy when something else keeps more than half a core going (this benchmark has not started
   * yet).
   */
  public boolean busy() {
    return loadAverage > 0.5 * cores;
  }

  /**
   * One line for the report, e.g. {@code 2 cores, 23.4 GB, OpenJDK 64-Bit Server VM 25+36, load
   * 0.12}.
   */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%d cores, %.1f GB memory, %s, %s, load average %.2f at start%s",
        cores,
        memoryBytes / 1e9,
        jdk,
        os,
        loadAverage,
        busy() ? " (BUSY: other work was running; absolute numbers are noisy)" : "");
  }

  /** The CPU model from /proc/cpuinfo where there is one. */
  public static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the model is optional.
    }
    return "unknown CPU";
  }
}
