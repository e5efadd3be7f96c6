package dev.ledger.api;

import dev.ledger.api.tls.ServerTls;
import dev.ledger.schemas.SettingsCheck;
import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP API listens and what it tolerates. Build with {@link #builder()}; every field has a
 * default. Every shared resource a caller can hold for long (ingest permits, revocation streams,
 * long responses) is limited per credential as well as in total, so one credential cannot take
 * every slot.
 *
 * @param host interface to bind, default {@code 127.0.0.1}
 * @param port TCP port, default 8080; 0 picks a free port (read it back with {@link
 *     ApiServer#port()})
 * @param maxRequestBytes largest accepted request body, default 10 MiB; larger bodies get 413
 * @param sseKeepAlive interval of keep-alive comments on {@code /v1/revocations/stream}, default 15
 *     s
 * @param maxSseClients concurrent revocation-stream subscribers; more get 429, default 2000
 * @param sseQueueCapacity notices buffered per subscriber; a subscriber further behind is dropped,
 *     default 1024
 * @param maxInFlightWrites concurrent {@code POST /v1/events} requests; more get 429, default 64
 * @param maxInFlightWritesPerCredential concurrent {@code POST /v1/events} requests of one
 *     credential; more get 429, default 16
 * @param maxSseClientsPerCredential concurrent revocation-stream subscribers of one credential;
 *     more get 429, default 100
 * @param maxLongResponses concurrent streamed responses (exports, {@code format=ndjson} audit);
 *     more get 429, default 32
 * @param maxLongResponsesPerCredential concurrent streamed responses of one credential; more get
 *     429, default 4
 * @param requestBodyTimeout longest time a request body may take to arrive; a slower upload gets
 *     408, default 60 s
 * @param idleTimeout longest silence of a connection (a read or write that makes no progress)
 *     before it is closed, default 30 s
 * @param credentialRecheck how often an open stream checks that its credential is still valid (not
 *     revoked, not expired), default 1 s
 * @param tls the certificate to serve HTTPS with, or null (the default) for plain HTTP
 */
public record ApiSettings(
    String host,
    int port,
    long maxRequestBytes,
    Duration sseKeepAlive,
    int maxSseClients,
    int sseQueueCapacity,
    int maxInFlightWrites,
    int maxInFlightWritesPerCredential,
    int maxSseClientsPerCredential,
    int maxLongResponses,
    int maxLongResponsesPerCredential,
    Duration requestBodyTimeout,
    Duration idleTimeout,
    Duration credentialRecheck,
    ServerTls tls) {

  public static final String DEFAULT_HOST = "127.0.0.1";

  /**
   * @return {@code https} when the server has a certificate, else {@code http}
   */
  public String scheme() {
    return tls == null ? "http" : "https";
  }

  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_REQUEST_BYTES = 10L * 1024 * 1024;
  public static final Duration DEFAULT_SSE_KEEP_ALIVE = Duration.ofSeconds(15);

  public ApiSettings {
    new SettingsCheck("API settings")
        .requireText("host", host)
        .check(port >= 0 && port <= 65535, "port must be 0..65535, was " + port)
        .positive("maxRequestBytes", maxRequestBytes)
        .positive("sseKeepAlive", sseKeepAlive)
        .positive("maxSseClients", maxSseClients)
        .positive("sseQueueCapacity", sseQueueCapacity)
        .positive("maxInFlightWrites", maxInFlightWrites)
        .positive("maxInFlightWritesPerCredential", maxInFlightWritesPerCredential)
        .positive("maxSseClientsPerCredential", maxSseClientsPerCredential)
        .positive("maxLongResponses", maxLongResponses)
        .positive("maxLongResponsesPerCredential", maxLongResponsesPerCredential)
        .positive("requestBodyTimeout", requestBodyTimeout)
        .positive("idleTimeout", idleTimeout)
        .positive("credentialRecheck", credentialRecheck)
        // A quiet stream would be closed as idle before its keep-alive comment is due.
        .check(
            sseKeepAlive == null || idleTimeout == null || sseKeepAlive.compareTo(idleTimeout) < 0,
            "sseKeepAlive ("
                + sseKeepAlive
                + ") must be shorter than idleTimeout ("
                + idleTimeout
                + ")")
        .throwIfAny();
  }

  /** The four settings the launcher sets; the others take their defaults. */
  public ApiSettings(String host, int port, long maxRequestBytes, Duration sseKeepAlive) {
    this(
        new Builder()
            .host(host)
            .port(port)
            .maxRequestBytes(maxRequestBytes)
            .sseKeepAlive(sseKeepAlive));
  }

  private ApiSettings(Builder b) {
    this(
        b.host,
        b.port,
        b.maxRequestBytes,
        b.sseKeepAlive,
        b.maxSseClients,
        b.sseQueueCapacity,
        b.maxInFlightWrites,
        b.maxInFlightWritesPerCredential,
        b.maxSseClientsPerCredential,
        b.maxLongResponses,
        b.maxLongResponsesPerCredential,
        b.requestBodyTimeout,
        b.idleTimeout,
        b.credentialRecheck,
        b.tls);
  }

  /**
   * @return a builder holding the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return a builder holding these settings
   */
  public Builder toBuilder() {
    return new Builder()
        .host(host)
        .port(port)
        .maxRequestBytes(maxRequestBytes)
        .sseKeepAlive(sseKeepAlive)
        .maxSseClients(maxSseClients)
        .sseQueueCapacity(sseQueueCapacity)
        .maxInFlightWrites(maxInFlightWrites)
        .maxInFlightWritesPerCredential(maxInFlightWritesPerCredential)
        .maxSseClientsPerCredential(maxSseClientsPerCredential)
        .maxLongResponses(maxLongResponses)
        .maxLongResponsesPerCredential(maxLongResponsesPerCredential)
        .requestBodyTimeout(requestBodyTimeout)
        .idleTimeout(idleTimeout)
        .credentialRecheck(credentialRecheck)
        .tls(tls);
  }

  /** Mutable builder; {@link #build()} validates every field and reports every problem at once. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private Duration sseKeepAlive = DEFAULT_SSE_KEEP_ALIVE;
    private int maxSseClients = 2000;
    private int sseQueueCapacity = 1024;
    private int maxInFlightWrites = 64;
    private int maxInFlightWritesPerCredential = 16;
    private int maxSseClientsPerCredential = 100;
    private int maxLongResponses = 32;
    private int maxLongResponsesPerCredential = 4;
    private Duration requestBodyTimeout = Duration.ofSeconds(60);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration credentialRecheck = Duration.ofSeconds(1);
    private ServerTls tls;

    private Builder() {}

    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder maxRequestBytes(long maxRequestBytes) {
      this.maxRequestBytes = maxRequestBytes;
      return this;
    }

    public Builder sseKeepAlive(Duration sseKeepAlive) {
      this.sseKeepAlive = Objects.requireNonNull(sseKeepAlive, "sseKeepAlive");
      return this;
    }

    public Builder maxSseClients(int maxSseClients) {
      this.maxSseClients = maxSseClients;
      return this;
    }

    public Builder sseQueueCapacity(int sseQueueCapacity) {
      this.sseQueueCapacity = sseQueueCapacity;
      return this;
    }

    public Builder maxInFlightWrites(int maxInFlightWrites) {
      this.maxInFlightWrites = maxInFlightWrites;
      return this;
    }

    public Builder maxInFlightWritesPerCredential(int value) {
      this.maxInFlightWritesPerCredential = value;
      return this;
    }

    public Builder maxSseClientsPerCredential(int value) {
      this.maxSseClientsPerCredential = value;
      return this;
    }

    public Builder maxLongResponses(int value) {
      this.maxLongResponses = value;
      return this;
    }

    public Builder maxLongResponsesPerCredential(int value) {
      this.maxLongResponsesPerCredential = value;
      return this;
    }

    public Builder requestBodyTimeout(Duration value) {
      this.requestBodyTimeout = Objects.requireNonNull(value, "requestBodyTimeout");
      return this;
    }

    public Builder idleTimeout(Duration value) {
      this.idleTimeout = Objects.requireNonNull(value, "idleTimeout");
      return this;
    }

    public Builder credentialRecheck(Duration value) {
      this.credentialRecheck = Objects.requireNonNull(value, "credentialRecheck");
      return this;
    }

    /** Serve HTTPS with this certificate; null for plain HTTP. */
    public Builder tls(ServerTls value) {
      this.tls = value;
      return this;
    }

    /**
     * @throws IllegalArgumentException listing every invalid field
     */
    public ApiSettings build() {
      return new ApiSettings(this);
    }
  }
}
