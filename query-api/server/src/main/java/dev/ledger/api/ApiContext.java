package dev.ledger.api;

import dev.ledger.api.auth.KeyStore;
import dev.ledger.api.health.HealthCheck;
import dev.ledger.index.Indexer;
import dev.ledger.index.LedgerIndex;
import dev.ledger.ingest.IngestService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * Everything the routes need. Each part may be null when that role does not run in this process; its routes then
 * answer 503 ({@code keys} null: every {@code /v1} route; {@code ingest}: {@code POST /v1/events}; {@code index}:
 * every read; {@code indexer}: the live revocation stream; {@code registry}: {@code /metrics}).
 *
 * @param keys         verifies bearer credentials
 * @param ingest       validates and publishes posted events
 * @param index        answers every read
 * @param indexer      feeds the revocation stream live
 * @param healthChecks reported by {@code /health}; null means none
 * @param registry     where HTTP and JVM metrics go and what {@code /metrics} shows
 */
public record ApiContext(KeyStore keys, IngestService ingest, LedgerIndex index, Indexer indexer,
                         List<HealthCheck> healthChecks, PrometheusMeterRegistry registry) {
    public ApiContext {
        healthChecks = healthChecks == null ? List.of() : List.copyOf(healthChecks);
    }
}
