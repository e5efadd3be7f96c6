package dev.ledger.runtime;

import dev.ledger.api.health.HealthCheck;
import dev.ledger.api.health.HealthReport;
import dev.ledger.export.log.Notary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DOWN when the notary's consumer failed: exports would silently stop growing. DEGRADED while it
 * cannot write its log (a full disk): exports serve what was committed, and it retries by itself.
 */
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
    Exception writing = notary.writeFailure();
    if (writing != null) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("state", "degraded");
      detail.put("last_error", "integrity log write failed: " + writing);
      detail.put(
          "reason",
          "the integrity log cannot be written (last_error); exports serve what was committed,"
              + " and the notary retries from its last commit until a write succeeds");
      return new HealthReport(HealthReport.State.DEGRADED, detail);
    }
    return new HealthReport(
        notary.isRunning() ? HealthReport.State.UP : HealthReport.State.STARTING, Map.of());
  }
}
