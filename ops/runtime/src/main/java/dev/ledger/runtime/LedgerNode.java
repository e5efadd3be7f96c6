package dev.ledger.runtime;

import dev.ledger.api.ApiContext;
import dev.ledger.api.ApiServer;
import dev.ledger.api.ApiSettings;
import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.api.auth.CreatedKey;
import dev.ledger.api.auth.JwtKeyStore;
import dev.ledger.api.auth.KeyStore;
import dev.ledger.api.health.HealthCheck;
import dev.ledger.api.health.IndexHealth;
import dev.ledger.api.ssf.SsfSettings;
import dev.ledger.api.ssf.SsfTransmitter;
import dev.ledger.broker.BrokerCredentials;
import dev.ledger.broker.EmbeddedKafka;
import dev.ledger.export.Exporter;
import dev.ledger.export.log.IntegrityLog;
import dev.ledger.export.log.Notary;
import dev.ledger.export.log.NotaryConfig;
import dev.ledger.export.log.NotaryLease;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.index.Indexer;
import dev.ledger.index.IndexerSettings;
import dev.ledger.index.LedgerIndex;
import dev.ledger.ingest.IngestService;
import dev.ledger.ingest.KafkaEventPublisher;
import dev.ledger.runtime.config.ConfigKey;
import dev.ledger.runtime.config.LedgerConfig;
import dev.ledger.schemas.PrivateFiles;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.schemas.kafka.TopicAdmin;
import dev.ledger.streams.LedgerStreams;
import dev.ledger.streams.LedgerTopology;
import dev.ledger.streams.StreamsSettings;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ledger process: the roles it was asked to run, started in dependency order and closed in
 * reverse. {@code ledger up} runs every role on an embedded broker; {@code ledger streams}, {@code
 * api} and {@code index} run one role against an external cluster.
 *
 * <pre>{@code
 * try (LedgerNode node = LedgerNode.start(config, EnumSet.allOf(LedgerNode.Role.class), System.out)) {
 *   node.awaitShutdown();
 * }
 * }</pre>
 */
public final class LedgerNode implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerNode.class);

  /** The stream processor's static member name on the embedded broker (one instance). */
  static final String EMBEDDED_INSTANCE_ID = "embedded";

  /**
   * How long a notary that stopped answering keeps the lease when no other claims it; it guards
   * nothing then, so short.
   */
  private static final java.time.Duration NOTARY_LEASE_SESSION = java.time.Duration.ofSeconds(10);

  /**
   * What a process runs. The HTTP API needs the index in the same process (it reads it locally).
   */
  public enum Role {
    STREAMS,
    INDEX,
    API
  }

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private String bootstrapServers;
  private KafkaClientSettings kafkaClient;
  private ApiServer api;
  private volatile String scheme = "http";
  private String newAdminKey;
  private Path adminKeyFile;
  private PrometheusMeterRegistry registry;
  private java.security.PublicKey notaryKey;

  private LedgerNode() {}

  /**
   * Starts the given roles. Progress lines go to {@code out}; on a failure everything started so
   * far is closed again and the exception propagates.
   */
  public static LedgerNode start(LedgerConfig config, Set<Role> roles, PrintStream out) {
    LedgerNode node = new LedgerNode();
    try {
      node.startAll(
          config, roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles), out);
      return node;
    } catch (RuntimeException | Error e) {
      node.close();
      throw e;
    }
  }

  /**
   * The start, step by step in dependency order. Each step pushes what it opens onto {@link
   * #resources}, so that {@link #close()} undoes a start that fails half way.
   */
  private void startAll(LedgerConfig config, Set<Role> roles, PrintStream out) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Path dataDir = createDataDir(config);
    Admin admin = connectKafka(config, dataDir, out);
    List<HealthCheck> checks = new ArrayList<>();
    checks.add(new KafkaHealth(admin));
    short replication = replication(config, admin);
    StreamsSettings streamsSettings = streamsSettings(config, replication);
    createTopics(admin, streamsSettings, config.integer(ConfigKey.PARTITIONS), replication, out);
    if (roles.contains(Role.STREAMS)) {
      startStreams(streamsSettings, checks, out);
    }
    IndexRole index = null;
    if (roles.contains(Role.INDEX) || roles.contains(Role.API)) {
      index = startIndex(config, checks, out);
    }
    if (roles.contains(Role.API) && config.bool(ConfigKey.NOTARY_ENABLED)) {
      startNotary(dataDir, checks, out);
    }
    if (roles.contains(Role.API)) {
      startApi(config, dataDir, startIngest(config), index, checks, out);
    }
  }

  /**
   * The data directory: keys, the broker's log and every tenant's records; nobody else reads it.
   */
  private static Path createDataDir(LedgerConfig config) {
    Path dataDir = config.path(ConfigKey.DATA_DIR);
    try {
      PrivateFiles.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dataDir, e);
    }
    return dataDir;
  }

  /**
   * Connects to the configured cluster, or starts the embedded broker, and returns an admin client
   * of it. Every Kafka client of this node is configured from {@link #kafkaClient}: a setting
   * cannot miss one of them.
   */
  private Admin connectKafka(LedgerConfig config, Path dataDir, PrintStream out) {
    kafkaClient = config.externalKafka().orElseGet(() -> startEmbedded(config, dataDir, out));
    bootstrapServers = kafkaClient.bootstrapServers();
    Admin admin = Admin.create(kafkaClient.config());
    resources.push(admin);
    return admin;
  }

  /** The stream processor's settings, also needed without the role: its topics are created here. */
  private StreamsSettings streamsSettings(LedgerConfig config, short replication) {
    return StreamsSettings.builder(bootstrapServers)
        .applicationId(config.string(ConfigKey.STREAMS_APPLICATION_ID))
        .stateDir(config.dataPath(ConfigKey.STREAMS_STATE_DIR))
        .threads(config.integer(ConfigKey.STREAMS_THREADS))
        .exactlyOnce(config.bool(ConfigKey.STREAMS_EXACTLY_ONCE))
        .commitInterval(config.duration(ConfigKey.STREAMS_COMMIT_INTERVAL))
        .usesFlushInterval(config.duration(ConfigKey.STREAMS_USES_FLUSH_INTERVAL))
        .depthLimit(config.integer(ConfigKey.STREAMS_DEPTH_LIMIT))
        .maxDepth(config.integer(ConfigKey.STREAMS_MAX_DEPTH))
        .limits(config.limits())
        .unknownTokenGrace(config.duration(ConfigKey.STREAMS_UNKNOWN_TOKEN_GRACE))
        .dedupeRetention(config.duration(ConfigKey.STREAMS_DEDUPE_RETENTION))
        .crashAfterRecords(counts(config.string(ConfigKey.STREAMS_TEST_CRASH_AFTER_RECORDS)))
        .replicationFactor(replication)
        .standbyReplicas(StreamsSettings.standbysFor(config.integer(ConfigKey.STREAMS_INSTANCES)))
        .sessionTimeout(config.duration(ConfigKey.STREAMS_SESSION_TIMEOUT))
        .instanceId(streamsInstanceId(config))
        .overrides(kafkaClient.stringConfig())
        .build();
  }

  /**
   * The stream processor's static member name: the configured one, else {@value
   * #EMBEDDED_INSTANCE_ID} on the embedded broker. There the group coordinator dies with the
   * process, and after a {@code kill -9} it reloaded the dead member from its log and waited for it
   * to rejoin for the whole rebalance timeout (5 minutes, {@code max.poll.interval.ms}) before the
   * restarted processor could work: seen in the fault campaign, 2026-12-06. A static member is
   * replaced by its successor at once. On a cluster the choice stays the operator's: a name must be
   * unique among the instances.
   */
  static String streamsInstanceId(LedgerConfig config) {
    String configured = config.optional(ConfigKey.STREAMS_INSTANCE_ID);
    if (configured != null || config.externalKafka().isPresent()) {
      return configured;
    }
    return EMBEDDED_INSTANCE_ID;
  }

  /** Creates every ledger topic and the stream processor's internal ones that are missing. */
  private void createTopics(
      Admin admin,
      StreamsSettings streamsSettings,
      int partitions,
      short replication,
      PrintStream out) {
    try {
      List<String> created =
          TopicAdmin.ensureTopics(admin, topicsToCreate(streamsSettings), partitions, replication);
      out.printf(
          "  topics     %s%n",
          created.isEmpty() ? "all present" : "created " + String.join(", ", created));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics");
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer while creating topics");
    }
  }

  /** The stream processor (role STREAMS). */
  private void startStreams(
      StreamsSettings streamsSettings, List<HealthCheck> checks, PrintStream out) {
    LedgerStreams streams = LedgerStreams.start(streamsSettings, registry);
    resources.push(streams);
    checks.add(new StreamsHealth(streams));
    out.printf(
        "  streams    application %s, state in %s%n",
        streamsSettings.applicationId(), streamsSettings.stateDir());
  }

  /** The index this process answers from and the indexer that fills it. */
  private record IndexRole(LedgerIndex index, Indexer indexer) {}

  /** The Lucene index and its indexer (role INDEX, and API, which reads the index locally). */
  private IndexRole startIndex(LedgerConfig config, List<HealthCheck> checks, PrintStream out) {
    Path indexDir = config.dataPath(ConfigKey.INDEX_DIR);
    LedgerIndex index;
    try {
      index = LedgerIndex.open(indexDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the index in " + indexDir, e);
    }
    resources.push(index);
    Indexer indexer =
        Indexer.start(
            IndexerSettings.builder(bootstrapServers)
                .consumerOverrides(kafkaClient.config())
                .refreshInterval(config.duration(ConfigKey.INDEX_REFRESH))
                .build(),
            index,
            registry);
    resources.push(indexer);
    checks.add(new IndexHealth(indexer));
    out.printf("  index      %s%n", indexDir);
    return new IndexRole(index, indexer);
  }

  /**
   * The notary keeps the per-tenant Merkle log that exports are proven against; it lives on the
   * API's disk because GET /v1/exports reads it.
   */
  private void startNotary(Path dataDir, List<HealthCheck> checks, PrintStream out) {
    try {
      NotaryConfig defaults = NotaryConfig.defaults(bootstrapServers);
      Notary notary =
          Notary.start(
              dataDir,
              new NotaryConfig(
                  bootstrapServers,
                  defaults.topic(),
                  defaults.checkpointEveryRecords(),
                  defaults.checkpointInterval(),
                  defaults.pollTimeout(),
                  kafkaClient.config()),
              registry);
      resources.push(notary);
      // One notary per deployment: a notary started elsewhere on this cluster stops this one.
      resources.push(
          NotaryLease.start(
              kafkaClient.config(), defaults.topic(), NOTARY_LEASE_SESSION, notary::stop));
      checks.add(new NotaryHealth(notary));
      notaryKey = NotaryKey.loadOrCreate(dataDir).publicKey();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the notary in " + dataDir, e);
    }
    out.printf(
        "  notary     signed audit log in %s (public key %s)%n",
        dataDir.resolve(IntegrityLog.DIRECTORY), dataDir.resolve(NotaryKey.PUBLIC_PEM_FILE));
  }

  /** The write side behind {@code POST /v1/events}: validation and the transactional publisher. */
  private IngestService startIngest(LedgerConfig config) {
    KafkaEventPublisher publisher =
        KafkaEventPublisher.create(bootstrapServers, kafkaClient.config());
    new KafkaClientMetrics(publisher.producer()).bindTo(registry);
    IngestService ingest =
        new IngestService(
            publisher,
            java.time.Clock.systemUTC(),
            IngestService.DEFAULT_PUBLISH_TIMEOUT,
            config.limits());
    ingest.bindTo(registry);
    resources.push(ingest);
    return ingest;
  }

  /** The HTTP API with its credentials, the SSF transmitter and the console (role API). */
  private void startApi(
      LedgerConfig config,
      Path dataDir,
      IngestService ingest,
      IndexRole index,
      List<HealthCheck> checks,
      PrintStream out) {
    ApiKeyStore keys = ApiKeyStore.open(config.dataPath(ConfigKey.KEYS_FILE));
    ensureAdminKey(keys, dataDir);
    ApiSettings settings = apiSettings(config, dataDir);
    scheme = settings.scheme();
    KeyStore credentials = jwtKeys(config).map(jwt -> KeyStore.anyOf(keys, jwt)).orElse(keys);
    // Without the notary (notary.enabled=false) exports and the notary's key answer 503 here.
    Exporter exporter =
        notaryKey == null ? null : new Exporter(dataDir.resolve(IntegrityLog.DIRECTORY));
    SsfTransmitter ssf =
        SsfTransmitter.start(ssfSettings(config, dataDir), kafkaClient.config(), index.index());
    resources.push(ssf);
    api =
        ApiServer.start(
            settings,
            new ApiContext(
                credentials,
                ingest,
                index.index(),
                index.indexer(),
                checks,
                registry,
                exporter,
                notaryKey,
                ssf));
    resources.push(api);
    ssf.startPushing();
    out.printf(
        "  ssf        %s/.well-known/ssf-configuration  (SETs signed with %s)%n",
        ssf.settings().issuerUrl(), dataDir.resolve(dev.ledger.api.ssf.internal.SigningKey.FILE));
    out.printf(
        "  http       %s://%s:%d  (health /health, metrics /metrics, API description /openapi.json)%n",
        scheme, config.string(ConfigKey.HTTP_HOST), api.port());
    out.printf(
        "  console    %s://%s:%d/ui/%n", scheme, config.string(ConfigKey.HTTP_HOST), api.port());
  }

  /** The HTTP server's settings: address, request and stream bounds, timeouts, TLS. */
  private static ApiSettings apiSettings(LedgerConfig config, Path dataDir) {
    return ApiSettings.builder()
        .host(config.string(ConfigKey.HTTP_HOST))
        .port(config.integer(ConfigKey.HTTP_PORT))
        .maxRequestBytes(config.longValue(ConfigKey.HTTP_MAX_REQUEST_BYTES))
        .sseKeepAlive(config.duration(ConfigKey.SSE_KEEP_ALIVE))
        .maxSseClients(config.integer(ConfigKey.SSE_MAX_CLIENTS))
        .maxSseClientsPerCredential(config.integer(ConfigKey.SSE_MAX_CLIENTS_PER_CREDENTIAL))
        .maxInFlightWrites(config.integer(ConfigKey.HTTP_MAX_IN_FLIGHT))
        .maxInFlightWritesPerCredential(config.integer(ConfigKey.HTTP_MAX_IN_FLIGHT_PER_CREDENTIAL))
        .maxLongResponses(config.integer(ConfigKey.HTTP_MAX_STREAMS))
        .maxLongResponsesPerCredential(config.integer(ConfigKey.HTTP_MAX_STREAMS_PER_CREDENTIAL))
        .requestBodyTimeout(config.duration(ConfigKey.HTTP_BODY_TIMEOUT))
        .idleTimeout(config.duration(ConfigKey.HTTP_IDLE_TIMEOUT))
        .credentialRecheck(config.duration(ConfigKey.HTTP_CREDENTIAL_RECHECK))
        .tls(serverTls(config, dataDir))
        .build();
  }

  /**
   * The transmitter's settings; without {@code ssf.issuer} the issuer is this server's own address,
   * once it listens.
   */
  private SsfSettings ssfSettings(LedgerConfig config, Path dataDir) {
    String configured = config.optional(ConfigKey.SSF_ISSUER);
    String host = config.string(ConfigKey.HTTP_HOST);
    java.util.function.Supplier<java.net.URI> issuer =
        configured != null
            ? () -> java.net.URI.create(configured)
            : () ->
                java.net.URI.create(
                    scheme
                        + "://"
                        + (host.contains(":") ? "[" + host + "]" : host)
                        + ":"
                        + (api == null ? config.integer(ConfigKey.HTTP_PORT) : api.port()));
    try {
      return SsfSettings.builder(dataDir)
          .issuer(issuer)
          .defaultSubjects(config.string(ConfigKey.SSF_DEFAULT_SUBJECTS))
          .pushDeadLetterAfter(config.duration(ConfigKey.SSF_PUSH_DEAD_LETTER_AFTER))
          .pushBackoff(
              java.time.Duration.ofMillis(200), config.duration(ConfigKey.SSF_PUSH_MAX_BACKOFF))
          .minVerificationInterval(config.duration(ConfigKey.SSF_MIN_VERIFICATION_INTERVAL))
          .inactivityTimeout(config.duration(ConfigKey.SSF_INACTIVITY_TIMEOUT))
          .maxStreamsPerReceiver(config.integer(ConfigKey.SSF_STREAMS_PER_RECEIVER))
          .sessionTimeout(config.duration(ConfigKey.SSF_SESSION_TIMEOUT))
          .pushTrust(
              config.optional(ConfigKey.SSF_PUSH_TRUST) == null
                  ? null
                  : java.nio.file.Path.of(config.optional(ConfigKey.SSF_PUSH_TRUST)))
          .build();
    } catch (IllegalArgumentException e) {
      throw new dev.ledger.runtime.config.ConfigException(e.getMessage());
    }
  }

  /** Bearer JWTs verified against a JWKS (URL or file), when configured. */
  static java.util.Optional<KeyStore> jwtKeys(LedgerConfig config) {
    String jwks = config.optional(ConfigKey.JWT_JWKS);
    if (jwks == null) {
      return java.util.Optional.empty();
    }
    String issuer = config.optional(ConfigKey.JWT_ISSUER);
    String audience = config.optional(ConfigKey.JWT_AUDIENCE);
    if (issuer == null || audience == null) {
      throw new dev.ledger.runtime.config.ConfigException(
          "auth.jwt.jwks is set: auth.jwt.issuer and auth.jwt.audience are required too");
    }
    try {
      if (jwks.startsWith("https://") || jwks.startsWith("http://")) {
        return java.util.Optional.of(
            JwtKeyStore.fromJwksUrl(java.net.URI.create(jwks).toURL(), issuer, audience));
      }
      com.nimbusds.jose.jwk.JWKSet set = com.nimbusds.jose.jwk.JWKSet.load(Path.of(jwks).toFile());
      return java.util.Optional.of(
          new JwtKeyStore(
              new com.nimbusds.jose.jwk.source.ImmutableJWKSet<>(set), issuer, audience));
    } catch (IOException | java.text.ParseException | IllegalArgumentException e) {
      throw new dev.ledger.runtime.config.ConfigException(
          "auth.jwt.jwks=" + jwks + " cannot be read: " + e.getMessage());
    }
  }

  /**
   * Starts the embedded broker, which takes only the login kept in {@code
   * data/kafka-client.properties} (made on the first start, or on the first start of a data
   * directory older than the login), and writes that file again with the broker's port. Returns
   * what the ledger's own clients use: the broker's settings over any {@code kafka.client.*}
   * tuning.
   */
  private KafkaClientSettings startEmbedded(LedgerConfig config, Path dataDir, PrintStream out) {
    long t0 = System.nanoTime();
    Path clientFile = dataDir.resolve(KafkaClientSettings.FILE_NAME);
    int port = config.integer(ConfigKey.EMBEDDED_PORT);
    EmbeddedKafka kafka;
    try {
      kafka =
          startEmbedded(
              dataDir.resolve("kafka"), port, BrokerCredentials.loadOrGenerate(clientFile));
      resources.push(kafka);
      kafka.clientSettings().write(clientFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the Kafka client settings in " + clientFile, e);
    }
    out.printf(
        "  kafka      embedded KRaft broker on %s, login in %s (data in %s) [%d ms]%n",
        kafka.bootstrapServers(),
        clientFile,
        dataDir.resolve("kafka"),
        (System.nanoTime() - t0) / 1_000_000);
    return KafkaClientSettings.plaintext(kafka.bootstrapServers())
        .with(config.kafkaClientProperties())
        .with(kafka.clientSettings().properties());
  }

  private static EmbeddedKafka startEmbedded(Path dir, int port, BrokerCredentials credentials) {
    try {
      return EmbeddedKafka.start(dir, port, credentials);
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("Address already in use")
          || causeMentions(e, "Address already in use")) {
        throw new IllegalStateException(
            "port " + port + " is taken; start with --kafka-port N or stop what uses it");
      }
      throw e;
    }
  }

  /**
   * The event counts of {@code streams.test.crash.after.records} (comma-separated; blank: none).
   */
  private static List<Long> counts(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    try {
      return java.util.Arrays.stream(value.split(","))
          .map(String::strip)
          .map(Long::valueOf)
          .toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          ConfigKey.STREAMS_TEST_CRASH_AFTER_RECORDS.key()
              + ": comma-separated event counts, not '"
              + value
              + "'");
    }
  }

  private static boolean causeMentions(Throwable e, String text) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains(text)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code topics.replication.factor}, or by default as many replicas as the cluster has brokers,
   * at most {@value #DEFAULT_MAX_REPLICATION}: one for the embedded broker, three on a cluster of
   * three or more.
   */
  static short replication(LedgerConfig config, Admin admin) {
    if (config.optional(ConfigKey.REPLICATION) != null) {
      return (short) config.integer(ConfigKey.REPLICATION);
    }
    try {
      int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
      return (short) defaultReplication(brokers);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking Kafka for its brokers");
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not say how many brokers it has (needed for the default"
              + " topics.replication.factor; set it to skip this): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Most replicas the default replication gives: three survive one broker lost, with two in sync.
   */
  static final int DEFAULT_MAX_REPLICATION = 3;

  /** The default replication factor on a cluster of {@code brokers} brokers. */
  static int defaultReplication(int brokers) {
    return Math.max(1, Math.min(brokers, DEFAULT_MAX_REPLICATION));
  }

  private static List<dev.ledger.schemas.Topic<?, ?>> topicsToCreate(StreamsSettings settings) {
    List<dev.ledger.schemas.Topic<?, ?>> topics = new ArrayList<>(dev.ledger.schemas.Topics.all());
    topics.addAll(LedgerTopology.internalTopics(settings));
    return topics;
  }

  /**
   * The first start creates an admin key for every tenant, keeps it in data/admin.key and shows it
   * once.
   */
  private void ensureAdminKey(ApiKeyStore keys, Path dataDir) {
    adminKeyFile = dataDir.resolve("admin.key");
    if (Files.exists(adminKeyFile)) {
      return;
    }
    CreatedKey key =
        keys.create(dev.ledger.api.auth.Role.admin, "*", "admin (created by ledger up)");
    try {
      PrivateFiles.createDirectories(dataDir);
      PrivateFiles.writeNew(adminKeyFile, key.secret() + System.lineSeparator());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + adminKeyFile, e);
    }
    newAdminKey = key.secret();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * What the ledger's Kafka clients connect with: bootstrap servers, login and {@code
   * kafka.client.*}. For the embedded broker the same login is in {@code
   * data/kafka-client.properties}.
   */
  public KafkaClientSettings kafkaClientSettings() {
    return kafkaClient;
  }

  /**
   * The API's certificate: none ({@code http.tls=off}), a self-signed one kept in the data
   * directory, or the configured file.
   */
  private static dev.ledger.api.tls.ServerTls serverTls(LedgerConfig config, Path dataDir) {
    String tls = config.string(ConfigKey.HTTP_TLS).strip();
    try {
      if (tls.isEmpty() || "off".equals(tls)) {
        return null;
      }
      if ("self-signed".equals(tls)) {
        return dev.ledger.api.tls.ServerTls.selfSigned(dataDir, config.string(ConfigKey.HTTP_HOST));
      }
      String key = config.optional(ConfigKey.HTTP_TLS_KEY);
      String password = config.optional(ConfigKey.HTTP_TLS_PASSWORD);
      return dev.ledger.api.tls.ServerTls.load(
          Path.of(tls),
          key == null ? null : Path.of(key),
          password == null ? null : password.toCharArray());
    } catch (java.io.IOException e) {
      throw new dev.ledger.runtime.config.ConfigException("http.tls: " + e.getMessage());
    }
  }

  /**
   * @return {@code https} when the API serves TLS, else {@code http}
   */
  public String httpScheme() {
    return scheme;
  }

  /** The HTTP port, or -1 when this process runs no API. */
  public int httpPort() {
    return api == null ? -1 : api.port();
  }

  /** The admin key if this start created it (shown once), else null. */
  public String newAdminKey() {
    return newAdminKey;
  }

  public Path adminKeyFile() {
    return adminKeyFile;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Closes every role in reverse start order; safe to call twice. */
  @Override
  public synchronized void close() {
    while (!resources.isEmpty()) {
      AutoCloseable r = resources.pop();
      try {
        r.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", r.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
