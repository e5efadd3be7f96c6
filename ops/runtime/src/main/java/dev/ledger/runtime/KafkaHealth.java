package dev.ledger.runtime;

import dev.ledger.api.health.HealthCheck;
import dev.ledger.api.health.HealthReport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * UP when the cluster answers a describe-cluster within a second; cached briefly so probes cannot
 * flood the broker.
 */
final class KafkaHealth implements HealthCheck {

  private static final long CACHE_NANOS = Duration.ofSeconds(2).toNanos();

  private final Admin admin;
  private HealthReport last;
  private long lastAt;

  KafkaHealth(Admin admin) {
    this.admin = admin;
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public synchronized HealthReport check() {
    long now = System.nanoTime();
    if (last != null && now - lastAt < CACHE_NANOS) {
      return last;
    }
    HealthReport report;
    try {
      int nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(1000))
              .nodes()
              .get(1500, TimeUnit.MILLISECONDS)
              .size();
      report = new HealthReport(HealthReport.State.UP, Map.of("brokers", nodes));
    } catch (Exception e) {
      report =
          new HealthReport(
              HealthReport.State.DOWN, Map.of("error", String.valueOf(e.getMessage())));
    }
    last = report;
    lastAt = now;
    return report;
  }
}
