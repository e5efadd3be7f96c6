package dev.ledger.bench.harness;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this process. On a shared machine wall-clock rates swing with the neighbours' load;
 * work per CPU-second of the process (broker, streams, indexer and producers all live in it) is the
 * steadier figure to compare across runs.
 */
public final class Cpu {

  private Cpu() {}

  /** CPU nanoseconds this process has used so far, or -1 where the JVM cannot tell. */
  public static long processNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
