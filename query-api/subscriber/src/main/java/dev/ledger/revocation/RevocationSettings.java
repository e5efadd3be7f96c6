package dev.ledger.revocation;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link RevocationSource} connects and behaves. Build with {@link #builder()}; every setting
 * but the connection has a default. Kafka sources need {@code bootstrapServers}; SSE sources need
 * {@code baseUrl} and {@code bearerToken}. {@link RevocationSubscriber} checks the settings and
 * throws {@link InvalidSettingsException} listing every problem.
 *
 * @param bootstrapServers Kafka bootstrap servers (Kafka source), or null
 * @param topic the revocations topic, default {@code ledger.revocations}
 * @param consumerConfig extra Kafka consumer properties (TLS, SASL, ...), never null
 * @param baseUrl the ledger server, e.g. {@code https://ledger.example:8080} (SSE source), or null
 * @param bearerToken the API key or JWT sent as {@code Authorization: Bearer} (SSE source), or null
 * @param tenant the only tenant to follow, or null for every tenant the source can see; for SSE it
 *     is sent as {@code ?tenant=} (needed with a {@code *} credential)
 * @param failClosed whether {@link RevocationSource#isRevoked} answers true for every token until
 *     caught up, default true
 * @param partitionRecheck how often the Kafka source looks for new partitions and refreshes its
 *     lag, default 10 s
 * @param reconnectBackoffMin first wait before an SSE reconnect or a Kafka retry, default 100 ms
 * @param reconnectBackoffMax longest such wait (it doubles up to this), default 10 s
 * @param sseQuietPeriod the SSE source counts as caught up once no event has arrived for this long
 *     after connecting (the replay of the backlog is over; keep-alive comments do not count),
 *     default 1 s
 * @param sseIdleTimeout an SSE connection with no line at all (not even a keep-alive) for this long
 *     is dropped and reopened, default 60 s
 * @param sseInitialEventId the {@code Last-Event-ID} of the first connection, default {@code 0}
 *     (everything); also where the source starts over when the server refuses an id (an id of
 *     contract v1.16 or earlier). An id is the server's position on {@code ledger.revocations},
 *     {@code <partition>:<offset>} pairs (contract v1.17), kept as the text it came as
 * @param listeners listeners registered before the source starts, so they also see the bootstrap
 * @param clientName thread name and Kafka {@code client.id} prefix, default {@code
 *     ledger-revocations}
 * @param store where the live revocations are kept, default {@link Store#MEMORY}
 * @param storeDirectory the directory of a {@link Store#ROCKSDB} store, or null for a fresh
 *     temporary directory that is deleted when the source closes. Every start clears the store in
 *     it and reads the topic (or the SSE replay) from the beginning again: that is what keeps the
 *     copy of a compacted topic right, so the directory is scratch space, not a cache that survives
 *     restarts
 */
public record RevocationSettings(
    String bootstrapServers,
    String topic,
    Map<String, String> consumerConfig,
    String baseUrl,
    String bearerToken,
    String tenant,
    boolean failClosed,
    Duration partitionRecheck,
    Duration reconnectBackoffMin,
    Duration reconnectBackoffMax,
    Duration sseQuietPeriod,
    Duration sseIdleTimeout,
    String sseInitialEventId,
    List<RevocationListener> listeners,
    String clientName,
    Store store,
    Path storeDirectory) {

  /** The {@code Last-Event-ID} that asks the server for everything (a replay from the start). */
  public static final String START_EVENT_ID = "0";

  /** The longest {@code Last-Event-ID} the ledger server reads (16 KiB). */
  public static final int MAX_EVENT_ID_LENGTH = 16 * 1024;

  /**
   * The Maven coordinates a {@link Store#ROCKSDB} store needs: the version kafka-streams uses,
   * which ledger-schemas is built and tested with. A test checks it against the library on the test
   * classpath.
   */
  static final String ROCKSDB_COORDINATES = "org.rocksdb:rocksdbjni:10.1.3";

  /**
   * Where a source keeps its live revocations. Lookups cost the same order of magnitude with both
   * (see docs/revocations.md, "Choosing a store").
   */
  public enum Store {
    /** On the heap, about 150 bytes per live revocation; no extra dependency. The default. */
    MEMORY,
    /**
     * In RocksDB, off the heap and mostly on disk (a bloom filter and a block cache stay in
     * memory), for sets too large for the heap. Needs {@code org.rocksdb:rocksdbjni} on the
     * classpath (an optional dependency of ledger-schemas). After {@link RevocationSource#close}
     * the store is freed: {@code isRevoked} then answers true for every token and {@code lookup}
     * empty.
     */
    ROCKSDB
  }

  public RevocationSettings {
    consumerConfig = Map.copyOf(consumerConfig);
    listeners = List.copyOf(listeners);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every problem of these settings for a Kafka source; empty if none. */
  public List<String> problemsForKafka() {
    List<String> problems = commonProblems();
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      problems.add("bootstrapServers is required for a Kafka source");
    }
    if (topic == null || topic.isBlank()) {
      problems.add("topic must not be empty");
    }
    positive(problems, "partitionRecheck", partitionRecheck);
    return problems;
  }

  /** Every problem of these settings for an SSE source; empty if none. */
  public List<String> problemsForSse() {
    List<String> problems = commonProblems();
    if (baseUrl == null || baseUrl.isBlank()) {
      problems.add("baseUrl is required for an SSE source");
    } else if (streamUri() == null) {
      problems.add("baseUrl must be an absolute http or https URL without query: " + baseUrl);
    }
    if (bearerToken == null || bearerToken.isBlank()) {
      problems.add("bearerToken is required for an SSE source");
    } else if (bearerToken.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      problems.add("bearerToken must be printable ASCII without spaces");
    }
    positive(problems, "sseQuietPeriod", sseQuietPeriod);
    positive(problems, "sseIdleTimeout", sseIdleTimeout);
    if (sseInitialEventId == null
        || sseInitialEventId.isBlank()
        || sseInitialEventId.length() > MAX_EVENT_ID_LENGTH
        || sseInitialEventId.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
      problems.add(
          "sseInitialEventId must be printable ASCII, 1.."
              + MAX_EVENT_ID_LENGTH
              + " characters (0 replays everything)");
    }
    return problems;
  }

  private List<String> commonProblems() {
    List<String> problems = new ArrayList<>();
    if (tenant != null && !"*".equals(tenant) && !LedgerKey.isTenantName(tenant)) {
      problems.add("tenant must be " + LedgerKey.tenantRule() + " (or *): " + tenant);
    }
    positive(problems, "reconnectBackoffMin", reconnectBackoffMin);
    positive(problems, "reconnectBackoffMax", reconnectBackoffMax);
    if (reconnectBackoffMin != null
        && reconnectBackoffMax != null
        && reconnectBackoffMin.compareTo(reconnectBackoffMax) > 0) {
      problems.add("reconnectBackoffMin must not exceed reconnectBackoffMax");
    }
    if (clientName == null || clientName.isBlank()) {
      problems.add("clientName must not be empty");
    }
    storeProblems(problems);
    return problems;
  }

  private void storeProblems(List<String> problems) {
    if (store == null) {
      problems.add("store must be MEMORY or ROCKSDB");
    } else if (store == Store.ROCKSDB && !rocksDbOnClasspath()) {
      problems.add(
          "store ROCKSDB needs "
              + ROCKSDB_COORDINATES
              + " on the classpath: it is an optional "
              + "dependency of dev.ledger:ledger-schemas, add it to your build (or use store MEMORY)");
    }
    if (storeDirectory != null) {
      if (store != Store.ROCKSDB) {
        problems.add("storeDirectory is used by store ROCKSDB only, not by " + store);
      } else if (Files.exists(storeDirectory) && !Files.isDirectory(storeDirectory)) {
        problems.add("storeDirectory is not a directory: " + storeDirectory);
      }
    }
  }

  private static boolean rocksDbOnClasspath() {
    try {
      Class.forName("org.rocksdb.RocksDB", false, RevocationSettings.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static void positive(List<String> problems, String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      problems.add(name + " must be a positive duration");
    }
  }

  /**
   * The SSE stream's address, {@code baseUrl/v1/revocations/stream} with {@code ?tenant=} when a
   * tenant is set, or null if {@code baseUrl} is not a usable http(s) URL.
   */
  public URI streamUri() {
    if (baseUrl == null) {
      return null;
    }
    try {
      URI base =
          new URI(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
      if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme()))
          || base.getHost() == null
          || base.getRawQuery() != null
          || base.getRawFragment() != null) {
        return null;
      }
      // The tenant pattern has no character that needs escaping in a query.
      String query = tenant == null ? "" : "?tenant=" + tenant;
      return URI.create(base + "/v1/revocations/stream" + query);
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  /** The tenant lookups are restricted to, or null when any tenant may be asked about. */
  public String tenantFilter() {
    return tenant == null || "*".equals(tenant) ? null : tenant;
  }

  /**
   * Builds {@link RevocationSettings}; setters return the builder, values are checked by the
   * factory.
   */
  public static final class Builder {
    private String bootstrapServers;
    private String topic = Topics.REVOCATIONS.name();
    private final Map<String, String> consumerConfig = new LinkedHashMap<>();
    private String baseUrl;
    private String bearerToken;
    private String tenant;
    private boolean failClosed = true;
    private Duration partitionRecheck = Duration.ofSeconds(10);
    private Duration reconnectBackoffMin = Duration.ofMillis(100);
    private Duration reconnectBackoffMax = Duration.ofSeconds(10);
    private Duration sseQuietPeriod = Duration.ofSeconds(1);
    private Duration sseIdleTimeout = Duration.ofSeconds(60);
    private String sseInitialEventId = START_EVENT_ID;
    private final List<RevocationListener> listeners = new ArrayList<>();
    private String clientName = "ledger-revocations";
    private Store store = Store.MEMORY;
    private Path storeDirectory;

    private Builder() {}

    public Builder bootstrapServers(String value) {
      this.bootstrapServers = value;
      return this;
    }

    /**
     * The bootstrap servers and every consumer property (the login included) of a Kafka client
     * settings file, such as the {@code data/kafka-client.properties} that {@code ledger up}
     * writes. Settings given after this call win.
     *
     * @throws InvalidSettingsException when the file cannot be read or names no bootstrap servers
     */
    public Builder kafkaClientFile(Path file) {
      try {
        return kafkaClient(KafkaClientSettings.read(file));
      } catch (IOException | IllegalArgumentException e) {
        throw new InvalidSettingsException(
            List.of("kafkaClientFile " + file + " cannot be read: " + e.getMessage()));
      }
    }

    /** The bootstrap servers and shared properties of {@code value} as this source's connection. */
    public Builder kafkaClient(KafkaClientSettings value) {
      this.bootstrapServers = value.bootstrapServers();
      consumerConfig.putAll(value.properties());
      return this;
    }

    public Builder topic(String value) {
      this.topic = value;
      return this;
    }

    /** One extra Kafka consumer property; null key or value is an NPE. */
    public Builder consumerConfig(String key, String value) {
      consumerConfig.put(
          Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** The ledger server's URL; a malformed one is reported by the factory, not here. */
    public Builder baseUrl(String value) {
      this.baseUrl = value;
      return this;
    }

    public Builder baseUrl(URI value) {
      this.baseUrl = value == null ? null : value.toString();
      return this;
    }

    public Builder bearerToken(String value) {
      this.bearerToken = value;
      return this;
    }

    public Builder tenant(String value) {
      this.tenant = value;
      return this;
    }

    public Builder failClosed(boolean value) {
      this.failClosed = value;
      return this;
    }

    public Builder partitionRecheck(Duration value) {
      this.partitionRecheck = value;
      return this;
    }

    public Builder reconnectBackoff(Duration min, Duration max) {
      this.reconnectBackoffMin = min;
      this.reconnectBackoffMax = max;
      return this;
    }

    public Builder sseQuietPeriod(Duration value) {
      this.sseQuietPeriod = value;
      return this;
    }

    public Builder sseIdleTimeout(Duration value) {
      this.sseIdleTimeout = value;
      return this;
    }

    public Builder sseInitialEventId(String value) {
      this.sseInitialEventId = value;
      return this;
    }

    /** A listener registered before the source starts, so it sees the bootstrap too. */
    public Builder listener(RevocationListener value) {
      listeners.add(Objects.requireNonNull(value, "listener"));
      return this;
    }

    public Builder clientName(String value) {
      this.clientName = value;
      return this;
    }

    /** {@link Store#MEMORY} (default) or {@link Store#ROCKSDB}. */
    public Builder store(Store value) {
      this.store = value;
      return this;
    }

    /**
     * The directory of a {@link Store#ROCKSDB} store; cleared on every start (see the record's
     * javadoc).
     */
    public Builder storeDirectory(Path value) {
      this.storeDirectory = value;
      return this;
    }

    public RevocationSettings build() {
      return new RevocationSettings(
          bootstrapServers,
          topic,
          consumerConfig,
          baseUrl,
          bearerToken,
          tenant,
          failClosed,
          partitionRecheck,
          reconnectBackoffMin,
          reconnectBackoffMax,
          sseQuietPeriod,
          sseIdleTimeout,
          sseInitialEventId,
          listeners,
          clientName,
          store,
          storeDirectory);
    }
  }
}
