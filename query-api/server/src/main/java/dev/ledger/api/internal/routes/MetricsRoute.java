package dev.ledger.api.internal.routes;

import dev.ledger.api.internal.ApiError;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** {@code GET /metrics}: the registry in Prometheus text format. */
public final class MetricsRoute {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    /** @param registry may be null: then the route answers 503 */
    public MetricsRoute(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public void handle(Context ctx) {
        if (registry == null) {
            throw ApiError.unavailable("no metrics registry on this server");
        }
        ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape());
    }
}
