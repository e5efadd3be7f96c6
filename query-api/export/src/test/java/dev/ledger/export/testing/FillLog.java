package dev.ledger.export.testing;

import dev.ledger.export.log.IntegrityLog;
import dev.ledger.export.sign.NotaryKey;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Appends {@code n} synthetic audit records of one tenant straight into an integrity log (no
 * Kafka), commits every 10,000 and signs a checkpoint at the end; prints the append rate.
 * Arguments: data directory (key in it, log in its {@code integrity/}), tenant, n.
 */
public final class FillLog {

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    long n = Long.parseLong(args[2]);
    long c0 = ExportAndVerify.cpu();
    double seconds = fill(data, args[1], n);
    double cpuSeconds = (ExportAndVerify.cpu() - c0) / 1e9;
    System.out.println("append_records=" + n);
    System.out.println("append_seconds=" + String.format("%.2f", seconds));
    System.out.println("append_rate=" + Math.round(n / seconds));
    System.out.println("append_cpu_seconds=" + String.format("%.2f", cpuSeconds));
    System.out.println("append_rate_per_cpu_second=" + Math.round(n / cpuSeconds));
  }

  /** Fills the log; returns the seconds it took. */
  public static double fill(Path data, String tenant, long n) throws Exception {
    NotaryKey key = NotaryKey.loadOrCreate(data);
    long t0 = System.nanoTime();
    try (IntegrityLog log = IntegrityLog.open(data.resolve("integrity"), key, Clock.systemUTC())) {
      for (long i = 0; i < n; i++) {
        log.append(TestRecords.json(tenant, i));
        if ((i + 1) % 10_000 == 0) {
          log.commit(Map.of("ledger.audit-0", i + 1));
        }
      }
      log.commit(Map.of("ledger.audit-0", n));
      log.checkpoint(tenant);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private FillLog() {}
}
