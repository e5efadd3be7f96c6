package dev.ledger.example;

import dev.ledger.revocation.InvalidSettingsException;
import dev.ledger.revocation.RevocationSettings;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the example resource server runs: where it listens, which tenant and audience it serves,
 * where it follows revocations (Kafka, or the ledger's SSE stream) and where it reports uses (the
 * ledger's HTTP API). Build with {@link #builder()}; {@link Builder#build()} checks everything and
 * throws {@link InvalidSettingsException} listing every problem.
 *
 * @param host interface to listen on, default {@code 127.0.0.1}
 * @param port TCP port, default 9000; 0 picks a free one
 * @param tenant the one tenant whose tokens this server accepts, required
 * @param audience this server's URL as tokens name it; the {@code resource} of every use, required
 * @param bootstrapServers follow {@code ledger.revocations} on this Kafka; null to use the SSE
 *     stream
 * @param ledgerUrl the ledger's HTTP API: where uses go, and the SSE stream when Kafka is not used
 * @param ledgerKey a key with the producer (and, for SSE, auditor) role for {@code tenant}: admin
 *     does both
 * @param caughtUpTimeout how long {@code start} waits for the revocations to load; the server
 *     answers 403 until they are
 * @param reportQueue how many uses may wait for the ledger before new ones are dropped
 * @param consumerConfig extra Kafka consumer properties for the revocation subscriber (TLS, SASL,
 *     fetch tuning), never null
 * @param store where the subscriber keeps revocations: {@code MEMORY} (default) or {@code ROCKSDB}
 *     (a temporary directory, for sets too large for the heap)
 */
public record ExampleSettings(
    String host,
    int port,
    String tenant,
    URI audience,
    String bootstrapServers,
    URI ledgerUrl,
    String ledgerKey,
    Duration caughtUpTimeout,
    int reportQueue,
    Map<String, String> consumerConfig,
    RevocationSettings.Store store) {

  public ExampleSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(ledgerUrl, "ledgerUrl");
    Objects.requireNonNull(ledgerKey, "ledgerKey");
    Objects.requireNonNull(caughtUpTimeout, "caughtUpTimeout");
    Objects.requireNonNull(store, "store");
    consumerConfig = Map.copyOf(consumerConfig);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** These settings with the subscriber's revocations kept in {@code value}. */
  public ExampleSettings withStore(RevocationSettings.Store value) {
    return new ExampleSettings(
        host,
        port,
        tenant,
        audience,
        bootstrapServers,
        ledgerUrl,
        ledgerKey,
        caughtUpTimeout,
        reportQueue,
        consumerConfig,
        value);
  }

  /** True when revocations come from Kafka, false for the ledger's SSE stream. */
  public boolean overKafka() {
    return bootstrapServers != null;
  }

  /** The revocation subscriber's settings: only this tenant, fail closed. */
  public RevocationSettings revocationSettings() {
    RevocationSettings.Builder b =
        RevocationSettings.builder()
            .tenant(tenant)
            .failClosed(true)
            .clientName("example-resource-server")
            .store(store);
    consumerConfig.forEach(b::consumerConfig);
    return overKafka()
        ? b.bootstrapServers(bootstrapServers).build()
        : b.baseUrl(ledgerUrl).bearerToken(ledgerKey).build();
  }

  /** Mutable, not thread-safe; every setter accepts null to mean "not set". */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 9000;
    private String tenant;
    private String audience;
    private String bootstrapServers;
    private String ledgerUrl = "http://127.0.0.1:8080";
    private String ledgerKey;
    private Duration caughtUpTimeout = Duration.ofSeconds(60);
    private int reportQueue = 10_000;
    private final Map<String, String> consumerConfig = new LinkedHashMap<>();
    private RevocationSettings.Store store = RevocationSettings.Store.MEMORY;

    private Builder() {}

    public Builder host(String value) {
      this.host = value;
      return this;
    }

    public Builder port(int value) {
      this.port = value;
      return this;
    }

    public Builder tenant(String value) {
      this.tenant = value;
      return this;
    }

    public Builder audience(String value) {
      this.audience = value;
      return this;
    }

    /** Kafka to follow revocations on; leave unset to follow the ledger's SSE stream instead. */
    public Builder bootstrapServers(String value) {
      this.bootstrapServers = value;
      return this;
    }

    public Builder ledgerUrl(String value) {
      this.ledgerUrl = value;
      return this;
    }

    public Builder ledgerKey(String value) {
      this.ledgerKey = value;
      return this;
    }

    public Builder caughtUpTimeout(Duration value) {
      this.caughtUpTimeout = value;
      return this;
    }

    public Builder reportQueue(int value) {
      this.reportQueue = value;
      return this;
    }

    /** One extra Kafka consumer property for the revocation subscriber; ignored over SSE. */
    public Builder consumerConfig(String key, String value) {
      consumerConfig.put(key, value);
      return this;
    }

    /**
     * Kafka to follow revocations on, with its login (as {@code data/kafka-client.properties} holds
     * them).
     */
    public Builder kafkaClient(KafkaClientSettings value) {
      bootstrapServers = value.bootstrapServers();
      consumerConfig.putAll(value.properties());
      return this;
    }

    public Builder store(RevocationSettings.Store value) {
      this.store = value;
      return this;
    }

    /**
     * @throws InvalidSettingsException with every problem found
     */
    public ExampleSettings build() {
      List<String> problems = new ArrayList<>();
      if (blank(host)) {
        problems.add("host is required");
      }
      if (port < 0 || port > 65535) {
        problems.add("port must be 0..65535, not " + port);
      }
      if (blank(tenant)) {
        problems.add("tenant is required");
      }
      URI audienceUri = httpUrl("audience", audience, problems);
      URI ledger = httpUrl("ledger url", ledgerUrl, problems);
      if (blank(ledgerKey)) {
        problems.add("ledger key is required (a producer or admin key: uses are reported with it)");
      }
      if (bootstrapServers != null && bootstrapServers.isBlank()) {
        problems.add(
            "bootstrap servers must not be blank (leave them out to follow the SSE stream)");
      }
      if (caughtUpTimeout == null || caughtUpTimeout.isNegative()) {
        problems.add("caught-up timeout must be zero or positive");
      }
      if (store == null) {
        problems.add("revocation store is required (memory or rocksdb)");
      }
      if (reportQueue < 1) {
        problems.add("report queue must hold at least 1 event, not " + reportQueue);
      }
      if (!problems.isEmpty()) {
        throw new InvalidSettingsException(problems);
      }
      return new ExampleSettings(
          host,
          port,
          tenant,
          audienceUri,
          bootstrapServers,
          ledger,
          ledgerKey.strip(),
          caughtUpTimeout,
          reportQueue,
          consumerConfig,
          store);
    }

    private static boolean blank(String s) {
      return s == null || s.isBlank();
    }

    private static URI httpUrl(String name, String value, List<String> problems) {
      if (blank(value)) {
        problems.add(name + " is required");
        return null;
      }
      try {
        URI uri = new URI(value);
        if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
            && uri.getHost() != null) {
          return uri;
        }
      } catch (java.net.URISyntaxException e) {
        // reported below, with the value
      }
      problems.add(name + " must be an http(s) URL, not '" + value + "'");
      return null;
    }
  }
}
