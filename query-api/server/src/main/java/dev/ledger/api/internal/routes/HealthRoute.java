package dev.ledger.api.internal.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.api.health.HealthCheck;
import dev.ledger.api.health.HealthReport;
import dev.ledger.api.health.HealthReport.State;
import dev.ledger.api.json.ContractJson;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health}: {@code {"status": "up"|"starting"|"degraded"|"down", "checks": {name:
 * {"status", ...detail}}}}, 200 only when every check is up. The worst check decides: any down is
 * down, else any degraded is degraded, else any starting is starting.
 */
public final class HealthRoute {
  private static final Logger LOG = LoggerFactory.getLogger(HealthRoute.class);

  private final List<HealthCheck> checks;

  /**
   * @param checks the parts to report, may be empty (then the server is up)
   */
  public HealthRoute(List<HealthCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  public void handle(Context ctx) {
    ObjectNode body = ContractJson.mapper().createObjectNode();
    ObjectNode details = ContractJson.mapper().createObjectNode();
    State overall = State.UP;
    for (HealthCheck check : checks) {
      HealthReport report = run(check);
      if (report.state().ordinal() > overall.ordinal()) {
        overall = report.state();
      }
      ObjectNode one = details.putObject(check.name());
      one.put("status", lower(report.state()));
      report.detail().forEach((k, v) -> one.set(k, ContractJson.mapper().valueToTree(v)));
    }
    body.put("status", lower(overall));
    body.set("checks", details);
    ctx.status(overall == State.UP ? 200 : 503).json(body);
  }

  private static HealthReport run(HealthCheck check) {
    try {
      HealthReport report = check.check();
      return report == null
          ? HealthReport.of(State.DOWN, Map.of("error", "check returned nothing"))
          : report;
    } catch (RuntimeException e) {
      LOG.warn("health check {} failed: {}", check.name(), e.toString());
      return HealthReport.of(State.DOWN, Map.of("error", String.valueOf(e.getMessage())));
    }
  }

  private static String lower(State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
