package dev.ledger.example;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.example.internal.AsyncUseReporter;
import dev.ledger.example.internal.FaresRoute;
import dev.ledger.ingest.client.LedgerClient;
import dev.ledger.revocation.RevocationSource;
import dev.ledger.revocation.RevocationSubscriber;
import dev.ledger.revocation.SubscriberStatus;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny resource server ({@code GET /fares?route=...}) that closes the ledger's loop: it refuses
 * tokens the ledger has revoked, directly or through any ancestor, and reports every use, allowed
 * or denied, back to the ledger as {@code token.used}. Requests never wait for the ledger: the
 * lookup is in memory and reports are queued.
 *
 * <pre>{@code
 * try (ExampleResourceServer server = ExampleResourceServer.start(ExampleSettings.builder()
 *     .tenant("acme").audience("https://api.flights.example")
 *     .bootstrapServers("127.0.0.1:9092").ledgerKey(key).build())) {
 *   int port = server.port();
 * }
 * }</pre>
 *
 * <p>{@code GET /health} answers 200 once the revocations are loaded, else 503, with the
 * subscriber's status and the report counters.
 */
public final class ExampleResourceServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExampleResourceServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Javalin app;
  private final RevocationSource revocations;
  private final UseReporter reporter;

  private ExampleResourceServer(Javalin app, RevocationSource revocations, UseReporter reporter) {
    this.app = app;
    this.revocations = revocations;
    this.reporter = reporter;
  }

  /**
   * Subscribes to revocations (Kafka or SSE, per the settings), waits up to {@code caughtUpTimeout}
   * for them to load, connects to the ledger and starts listening. If the revocations are not
   * loaded in time it starts anyway and answers 403 until they are.
   *
   * @param settings never null
   */
  public static ExampleResourceServer start(ExampleSettings settings) {
    Objects.requireNonNull(settings, "settings");
    RevocationSource revocations =
        settings.overKafka()
            ? RevocationSubscriber.kafka(settings.revocationSettings())
            : RevocationSubscriber.sse(settings.revocationSettings());
    UseReporter reporter = null;
    try {
      awaitCaughtUp(revocations, settings.caughtUpTimeout());
      reporter =
          new AsyncUseReporter(
              LedgerClient.overHttp(settings.ledgerUrl(), settings.ledgerKey()),
              settings.reportQueue(),
              Duration.ofSeconds(10));
      return start(settings, revocations, reporter);
    } catch (RuntimeException e) {
      if (reporter != null) {
        reporter.close();
      }
      revocations.close();
      throw e;
    }
  }

  /**
   * Starts on a given revocation source and reporter (tests, or a server embedding its own); both
   * are closed with the server.
   */
  public static ExampleResourceServer start(
      ExampleSettings settings, RevocationSource revocations, UseReporter reporter) {
    FaresRoute fares =
        new FaresRoute(settings.tenant(), settings.audience().toString(), revocations, reporter);
    Javalin app =
        Javalin.create(
                config -> {
                  config.startup.showJavalinBanner = false;
                  config.startup.showOldJavalinVersionWarning = false;
                  config.routes.get("/fares", fares::handle);
                  config.routes.get(
                      "/health",
                      ctx -> {
                        SubscriberStatus s = revocations.status();
                        ctx.status(s.caughtUp() ? 200 : 503)
                            .contentType("application/json")
                            .result(
                                JSON.createObjectNode()
                                    .put("status", s.caughtUp() ? "up" : "starting")
                                    .put("revocations_caught_up", s.caughtUp())
                                    .put("revocations_connected", s.connected())
                                    .put("revocations", s.revocations())
                                    .put("uses_reported", reporter.delivered())
                                    .put("uses_lost", reporter.lost())
                                    .toString());
                      });
                })
            .start(settings.host(), settings.port());
    LOG.info(
        "example resource server for tenant {} ({}) on http://{}:{}",
        settings.tenant(),
        settings.audience(),
        settings.host(),
        app.port());
    return new ExampleResourceServer(app, revocations, reporter);
  }

  private static void awaitCaughtUp(RevocationSource revocations, Duration timeout) {
    try {
      if (!revocations.awaitCaughtUp(timeout)) {
        LOG.warn(
            "revocations not loaded after {} ms ({}); answering 403 until they are",
            timeout.toMillis(),
            revocations.status());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The port it listens on (the real one when the settings asked for 0). */
  public int port() {
    return app.port();
  }

  /** The revocation source it checks tokens against. */
  public RevocationSource revocations() {
    return revocations;
  }

  /** Where it reports uses. */
  public UseReporter reporter() {
    return reporter;
  }

  /** Stops listening, sends the uses still queued (up to 10 s), and stops following revocations. */
  @Override
  public void close() {
    app.stop();
    reporter.close();
    revocations.close();
  }
}
