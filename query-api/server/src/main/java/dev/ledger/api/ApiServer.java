package dev.ledger.api;

import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.ErrorHandling;
import dev.ledger.api.internal.FairShare;
import dev.ledger.api.internal.HttpMetrics;
import dev.ledger.api.internal.JsonErrorHandler;
import dev.ledger.api.internal.Requirement;
import dev.ledger.api.internal.routes.AuditRoute;
import dev.ledger.api.internal.routes.ConsoleRoute;
import dev.ledger.api.internal.routes.EventsRoute;
import dev.ledger.api.internal.routes.ExportRoute;
import dev.ledger.api.internal.routes.HealthRoute;
import dev.ledger.api.internal.routes.KeysRoute;
import dev.ledger.api.internal.routes.MetricsRoute;
import dev.ledger.api.internal.routes.NoticeRoutes;
import dev.ledger.api.internal.routes.OpenApiRoute;
import dev.ledger.api.internal.routes.ReadYourWrites;
import dev.ledger.api.internal.routes.Streaming;
import dev.ledger.api.internal.routes.TokenRoutes;
import dev.ledger.api.internal.sse.RevocationHub;
import dev.ledger.api.internal.sse.RevocationStreamRoute;
import dev.ledger.api.json.ContractJson;
import dev.ledger.api.ssf.internal.SsfRoutes;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Objects;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's HTTP API on Javalin 7: every route of CONTRACT.md section 4, API-key access of
 * section 5, the error shape, {@code /health}, {@code /metrics} and {@code /openapi.json}.
 *
 * <pre>{@code
 * try (ApiServer api = ApiServer.start(ApiSettings.builder().port(0).build(), context)) {
 *     int port = api.port();
 * }
 * }</pre>
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final Javalin app;

  private ApiServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts the server and returns once it listens.
   *
   * @param settings not null
   * @param context not null; its parts may be null (see {@link ApiContext})
   * @return the running server; close it to stop
   */
  public static ApiServer start(ApiSettings settings, ApiContext context) {
    Javalin app = create(settings, context).start(settings.host(), settings.port());
    LOG.info("ledger API listening on {}://{}:{}", settings.scheme(), settings.host(), app.port());
    return new ApiServer(app);
  }

  /**
   * @return the port it listens on (the chosen one when the settings said 0)
   */
  public int port() {
    return app.port();
  }

  /** Stops accepting requests, ends the revocation streams and releases the port. */
  @Override
  public void close() {
    app.stop();
  }

  /** The HTTPS connector: Jetty's TLS over the same HTTP configuration Javalin sets up. */
  private static ServerConnector httpsConnector(
      Server server, HttpConfiguration http, ApiSettings settings) {
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Clients reach a local ledger by address (127.0.0.1), which TLS sends no SNI name for.
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(settings.tls().keyStore());
    tls.setKeyStorePassword(new String(settings.tls().password()));
    tls.setKeyManagerPassword(new String(settings.tls().password()));
    ServerConnector connector =
        new ServerConnector(
            server,
            new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()),
            new HttpConnectionFactory(http));
    connector.setHost(settings.host());
    connector.setPort(settings.port());
    return connector;
  }

  /**
   * The configured Javalin app without starting it, for {@code io.javalin.testtools.JavalinTest}.
   * Resources it holds (revocation-stream subscribers, JVM metric binders) are released when the
   * app stops.
   *
   * @param settings not null
   * @param context not null
   */
  public static Javalin create(ApiSettings settings, ApiContext context) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(context, "context");
    return Javalin.create(config -> configure(config, settings, context));
  }

  private static void configure(JavalinConfig config, ApiSettings settings, ApiContext context) {
    MeterRegistry registry =
        context.registry() != null ? context.registry() : new SimpleMeterRegistry();
    HttpMetrics metrics = new HttpMetrics(registry);
    RevocationHub hub =
        context.index() == null || context.indexer() == null
            ? null
            : new RevocationHub(
                context.index(),
                context.indexer(),
                settings.sseKeepAlive(),
                settings.sseQueueCapacity(),
                new FairShare(
                    "revocation-stream subscribers",
                    settings.maxSseClients(),
                    settings.maxSseClientsPerCredential()),
                registry);

    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.prefer405over404 = true;
    config.http.maxRequestSize = settings.maxRequestBytes();
    // A connection that makes no progress for this long is closed (a stalled upload, a reader that
    // stopped).
    config.jetty.modifyHttpConfiguration(
        http -> http.setIdleTimeout(settings.idleTimeout().toMillis()));
    if (settings.tls() != null) {
      // HTTPS only: the one connector Javalin then uses instead of its plain default.
      config.jetty.addConnector((server, http) -> httpsConnector(server, http, settings));
    }
    // Compression would buffer the SSE and NDJSON streams; responses here are small or streamed.
    config.http.compressionStrategy = CompressionStrategy.NONE;
    config.jsonMapper(new JavalinJackson(ContractJson.mapper(), false));
    config.requestLogger.http(metrics::record);
    ErrorHandling.install(config, ContractJson.mapper());
    config.jetty.modifyServer(
        server -> server.setErrorHandler(new JsonErrorHandler(ContractJson.mapper())));
    config.events.serverStopping(
        () -> {
          if (hub != null) {
            hub.close();
          }
        });
    config.events.serverStopped(metrics::close);

    Access access = new Access(context.keys(), settings.credentialRecheck());
    config.routes.beforeMatched(access::authenticate);

    HealthRoute health = new HealthRoute(context.healthChecks());
    MetricsRoute metricsRoute = new MetricsRoute(context.registry());
    OpenApiRoute openApi = new OpenApiRoute();
    EventsRoute events =
        new EventsRoute(
            context.ingest(),
            settings.maxRequestBytes(),
            new FairShare(
                "event batches in flight",
                settings.maxInFlightWrites(),
                settings.maxInFlightWritesPerCredential()),
            settings.requestBodyTimeout());
    Streaming streaming =
        new Streaming(
            new FairShare(
                "streamed responses (exports, NDJSON audit)",
                settings.maxLongResponses(),
                settings.maxLongResponsesPerCredential()));
    TokenRoutes tokens = new TokenRoutes(context.index());
    AuditRoute audit = new AuditRoute(context.index(), streaming);
    NoticeRoutes notices = new NoticeRoutes(context.index());
    RevocationStreamRoute stream = new RevocationStreamRoute(hub);
    ExportRoute exports = new ExportRoute(context.exporter(), streaming);
    KeysRoute notaryKeys = new KeysRoute(context.notaryKey());

    get(config, "/health", health::handle, Requirement.OPEN);
    get(config, "/metrics", metricsRoute::handle, Requirement.OPEN);
    get(config, "/openapi.json", openApi::handle, Requirement.OPEN);
    ConsoleRoute console = new ConsoleRoute();
    get(config, "/ui", console::page, Requirement.OPEN);
    get(config, "/ui/{file}", console::file, Requirement.OPEN);
    config.routes.post("/v1/events", events::handle, Requirement.REPORT_EVENTS);
    // Every read the index answers may wait for given events first (after_events).
    ReadYourWrites reads = new ReadYourWrites(context.index());
    config.events.serverStopped(reads::close);
    get(config, "/v1/tokens/{id}", reads.around(tokens::token), Requirement.READ_TOKENS);
    get(
        config,
        "/v1/tokens/{id}/descendants",
        reads.around(tokens::descendants),
        Requirement.READ_TOKENS);
    get(config, "/v1/tokens/{id}/history", reads.around(tokens::history), Requirement.READ_TOKENS);
    get(config, "/v1/authority", reads.around(tokens::authority), Requirement.READ_TOKENS);
    get(config, "/v1/audit", reads.around(audit::handle), Requirement.READ_AUDIT);
    get(config, "/v1/alerts", reads.around(notices::alerts), Requirement.READ_AUDIT);
    get(
        config,
        "/v1/revocations",
        reads.around(notices::revocations),
        Requirement.READ_REVOCATIONS);
    get(config, "/v1/revocations/stream", stream::handle, Requirement.READ_REVOCATIONS);
    get(config, "/v1/exports", exports::handle, Requirement.EXPORT);
    get(config, "/v1/keys", notaryKeys::handle, Requirement.AUTHENTICATED);
    SsfRoutes.register(config, context.ssf());
  }

  /**
   * Registers {@code handler} for GET and HEAD with the same permission. Left to itself Javalin
   * answers a HEAD on a GET route 200 without running the route's access check; here HEAD runs the
   * GET handler (the same status and headers, so the same 401, 403 and 404), and the streamed
   * routes skip their body on HEAD.
   */
  private static void get(
      JavalinConfig config, String path, io.javalin.http.Handler handler, Requirement requirement) {
    config.routes.get(path, handler, requirement);
    config.routes.head(path, handler, requirement);
  }
}
