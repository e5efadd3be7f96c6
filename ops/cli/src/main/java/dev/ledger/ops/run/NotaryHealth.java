package dev.ledger.ops.run;

import dev.ledger.api.health.HealthCheck;
import dev.ledger.api.health.HealthReport;
import dev.ledger.export.log.Notary;
import java.util.Map;

/** DOWN when the notary's consumer failed: exports would silently stop growing. */
final class NotaryHealth implements HealthCheck {

  private final Notary notary;

  NotaryHealth(Notary notary) {
    this.notary = notary;
  }

  @Override
  public String name() {
    return "notary";
  }

  @Override
  public HealthReport check() {
    if (notary.failure() != null) {
      return new HealthReport(
          HealthReport.State.DOWN, Map.of("error", String.valueOf(notary.failure().getMessage())));
    }
    return new HealthReport(
        notary.isRunning() ? HealthReport.State.UP : HealthReport.State.STARTING, Map.of());
  }
}
