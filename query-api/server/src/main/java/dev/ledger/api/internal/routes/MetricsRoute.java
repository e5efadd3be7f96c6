package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.ApiError;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /metrics}: the registry in Prometheus text format; {@code ?name[]=N} (repeatable, as
 * Prometheus' own exposition accepts it) answers only those metric families, reading only their
 * meters ({@link MeterFamilies}), so a frequent poller of one gauge does not pay for the thousand
 * Kafka client meters.
 */
public final class MetricsRoute {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  /**
   * @param registry may be null: then the route answers 503
   */
  public MetricsRoute(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /** A counter's family is named without the {@code _total} its samples show; accept either. */
  static Set<String> families(List<String> names) {
    Set<String> out = new HashSet<>(names);
    names.stream()
        .filter(n -> n.endsWith("_total"))
        .forEach(n -> out.add(n.substring(0, n.length() - "_total".length())));
    return out;
  }

  public void handle(Context ctx) {
    if (registry == null) {
      throw ApiError.unavailable("no metrics registry on this server");
    }
    List<String> names = ctx.queryParams("name[]");
    String text =
        names.isEmpty()
            ? registry.scrape()
            : MeterFamilies.text(registry, families(names))
                .orElseGet(() -> registry.scrape(PROMETHEUS_TEXT, families(names)));
    ctx.contentType(PROMETHEUS_TEXT).result(text);
  }
}
