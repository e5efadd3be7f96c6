package dev.ledger.export.testing;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.ledger.export.ExportRequest;
import dev.ledger.export.Exporter;
import dev.ledger.export.PreparedExport;
import dev.ledger.export.ProgressListener;
import dev.ledger.export.VerificationReport;
import dev.ledger.export.Verifier;
import dev.ledger.export.log.LogReader;
import dev.ledger.export.sign.PublicKeys;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Exports a tenant's whole log in each format and verifies the NDJSON export, printing {@code
 * key=value} lines: rates, sizes and the largest heap left live after any garbage collection. Run
 * in its own JVM with a small {@code -Xmx} to show that memory does not grow with the export
 * ({@link BoundedMemoryIT} does; BENCHMARKS-export.md has the command).
 *
 * <p>Arguments: integrity directory, tenant, output directory, public key file.
 */
public final class ExportAndVerify {

  private static final AtomicLong MAX_LIVE = new AtomicLong();

  public static void main(String[] args) throws Exception {
    watchHeap();
    Path root = Path.of(args[0]);
    String tenant = args[1];
    Path outDir = Files.createDirectories(Path.of(args[2]));
    PublicKey key = PublicKeys.read(Path.of(args[3]));
    boolean all = args.length < 5 || !args[4].equals("ndjson-only");

    Path ndjson = outDir.resolve("export.ndjson");
    long records = timeExport(root, tenant, "ndjson", ndjson);
    if (all) {
      timeExport(root, tenant, "csv", outDir.resolve("export.csv"));
      timeExport(root, tenant, "ocsf", outDir.resolve("export.ocsf.ndjson"));
    }
    long t0 = System.nanoTime();
    long c0 = cpu();
    VerificationReport report = Verifier.verify(ndjson, key, null, ProgressListener.NONE);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuSeconds = (cpu() - c0) / 1e9;
    print("verify_ok", report.ok());
    print("verify_records", report.records());
    print("verify_seconds", String.format("%.2f", seconds));
    print("verify_rate", Math.round(report.records() / seconds));
    print("verify_cpu_seconds", String.format("%.2f", cpuSeconds));
    print("verify_rate_per_cpu_second", Math.round(report.records() / cpuSeconds));
    report.problems().stream().limit(5).forEach(p -> print("problem", p.message()));

    long bare = bareRecordBytes(root, tenant, records);
    long size = Files.size(ndjson);
    String header = Files.newBufferedReader(ndjson).readLine();
    print("records_only_bytes", bare);
    print("header_bytes", header.getBytes(StandardCharsets.UTF_8).length + 1);
    print("overhead_percent", String.format("%.1f", 100.0 * (size - bare) / bare));
    printRangeHeader(root, tenant, records);
    print("max_live_heap_after_gc_mb", String.format("%.1f", MAX_LIVE.get() / 1048576.0));
    print("max_heap_mb", Runtime.getRuntime().maxMemory() / 1048576);
    print(
        "load_average",
        String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
  }

  private static long timeExport(Path root, String tenant, String format, Path file)
      throws Exception {
    long t0 = System.nanoTime();
    long c0 = cpu();
    PreparedExport export =
        new Exporter(root).prepare(ExportRequest.parse(tenant, null, null, format, null));
    long written;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      written = export.writeTo(out, ProgressListener.NONE);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuSeconds = (cpu() - c0) / 1e9;
    print(format + "_records", written);
    print(format + "_seconds", String.format("%.2f", seconds));
    print(format + "_rate", Math.round(written / seconds));
    print(format + "_cpu_seconds", String.format("%.2f", cpuSeconds));
    print(format + "_rate_per_cpu_second", Math.round(written / cpuSeconds));
    print(format + "_bytes", Files.size(file));
    return written;
  }

  /** Header size of an export of the middle third with a consistency proof from half the log. */
  private static void printRangeHeader(Path root, String tenant, long records) throws Exception {
    String from;
    String to;
    try (LogReader reader = LogReader.open(root, tenant).orElseThrow()) {
      from = java.time.Instant.ofEpochMilli(reader.committedAtMillis(records / 3) + 1).toString();
      to = java.time.Instant.ofEpochMilli(reader.committedAtMillis(2 * records / 3)).toString();
    }
    PreparedExport export =
        new Exporter(root)
            .prepare(ExportRequest.parse(tenant, from, to, "ndjson", String.valueOf(records / 2)));
    java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream();
    export.writeTo(
        new OutputStream() {
          private boolean headerDone;

          @Override
          public void write(int b) {
            if (!headerDone) {
              header.write(b);
              headerDone = b == '\n';
            }
          }
        },
        ProgressListener.NONE);
    print("range_export_first_leaf", export.firstLeaf());
    print("range_export_records", export.records());
    print("range_header_bytes_with_proofs", header.size());
  }

  /**
   * The bytes the records alone take as NDJSON (their JSON and a newline), without any integrity
   * data.
   */
  private static long bareRecordBytes(Path root, String tenant, long records) throws Exception {
    byte[] marker = ",\"record\":".getBytes(StandardCharsets.US_ASCII);
    long[] sum = {0};
    try (LogReader reader = LogReader.open(root, tenant).orElseThrow()) {
      reader.forEach(
          0,
          records,
          (leaf, data) -> {
            int at = indexOf(data, marker);
            sum[0] +=
                data.length - (at + marker.length) - 1 + 1; // drop the wrapper, keep a newline
          });
    }
    return sum[0];
  }

  private static int indexOf(byte[] data, byte[] marker) {
    outer:
    for (int i = 0; i + marker.length <= data.length; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (data[i + j] != marker[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("no record in leaf data");
  }

  /**
   * CPU time of this (the working) thread: on a shared machine wall time says more about the
   * neighbours.
   */
  static long cpu() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static void watchHeap() {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc)
          .addNotificationListener(
              (notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    notification.getType())) {
                  GarbageCollectionNotificationInfo info =
                      GarbageCollectionNotificationInfo.from(
                          (CompositeData) notification.getUserData());
                  long used =
                      info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                          .mapToLong(MemoryUsage::getUsed)
                          .sum();
                  MAX_LIVE.accumulateAndGet(used, Math::max);
                }
              },
              null,
              null);
    }
  }

  private static void print(String key, Object value) {
    System.out.println(key + "=" + value);
  }

  private ExportAndVerify() {}
}
