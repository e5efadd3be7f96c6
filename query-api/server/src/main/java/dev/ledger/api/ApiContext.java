package dev.ledger.api;

import dev.ledger.api.auth.KeyStore;
import dev.ledger.api.health.HealthCheck;
import dev.ledger.api.ssf.SsfTransmitter;
import dev.ledger.export.Exporter;
import dev.ledger.index.Indexer;
import dev.ledger.index.LedgerIndex;
import dev.ledger.ingest.IngestService;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.PublicKey;
import java.util.List;

/**
 * Everything the routes need. Each part may be null when that role does not run in this process;
 * its routes then answer 503 ({@code keys} null: every {@code /v1} route; {@code ingest}: {@code
 * POST /v1/events}; {@code index}: every read; {@code indexer}: the live revocation stream; {@code
 * registry}: {@code /metrics}; {@code exporter}: {@code GET /v1/exports}; {@code notaryKey}: {@code
 * GET /v1/keys}).
 *
 * @param keys verifies bearer credentials
 * @param ingest validates and publishes posted events
 * @param index answers every read
 * @param indexer feeds the revocation stream live
 * @param healthChecks reported by {@code /health}; null means none
 * @param registry where HTTP and JVM metrics go and what {@code /metrics} shows
 * @param exporter makes compliance exports from the integrity log ({@code new
 *     Exporter(dataDir.resolve("integrity"))})
 * @param notaryKey the notary's Ed25519 public key that signs the exports' checkpoints, served as a
 *     JWK set
 * @param ssf the Shared Signals transmitter; null: its routes ({@code
 *     /.well-known/ssf-configuration}, {@code /ssf/...}) are not served
 */
public record ApiContext(
    KeyStore keys,
    IngestService ingest,
    LedgerIndex index,
    Indexer indexer,
    List<HealthCheck> healthChecks,
    PrometheusMeterRegistry registry,
    Exporter exporter,
    PublicKey notaryKey,
    SsfTransmitter ssf) {
  public ApiContext {
    healthChecks = healthChecks == null ? List.of() : List.copyOf(healthChecks);
  }

  /** A context without the Shared Signals transmitter. */
  public ApiContext(
      KeyStore keys,
      IngestService ingest,
      LedgerIndex index,
      Indexer indexer,
      List<HealthCheck> healthChecks,
      PrometheusMeterRegistry registry,
      Exporter exporter,
      PublicKey notaryKey) {
    this(keys, ingest, index, indexer, healthChecks, registry, exporter, notaryKey, null);
  }

  /** A context without compliance exports: {@code /v1/exports} and {@code /v1/keys} answer 503. */
  public ApiContext(
      KeyStore keys,
      IngestService ingest,
      LedgerIndex index,
      Indexer indexer,
      List<HealthCheck> healthChecks,
      PrometheusMeterRegistry registry) {
    this(keys, ingest, index, indexer, healthChecks, registry, null, null, null);
  }
}
