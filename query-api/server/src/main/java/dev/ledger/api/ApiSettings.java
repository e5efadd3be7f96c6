package dev.ledger.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the HTTP API listens and what it tolerates. Build with {@link #builder()}; every field has a default.
 *
 * @param host              interface to bind, default {@code 127.0.0.1}
 * @param port              TCP port, default 8080; 0 picks a free port (read it back with {@link ApiServer#port()})
 * @param maxRequestBytes   largest accepted request body, default 10 MB; larger bodies get 413
 * @param sseKeepAlive      interval of keep-alive comments on {@code /v1/revocations/stream}, default 15 s
 * @param maxSseClients     concurrent revocation-stream subscribers; more get 429, default 2000
 * @param sseQueueCapacity  notices buffered per subscriber; a subscriber further behind is dropped, default 1024
 * @param maxInFlightWrites concurrent {@code POST /v1/events} requests; more get 429, default 64
 */
public record ApiSettings(String host, int port, long maxRequestBytes, Duration sseKeepAlive, int maxSseClients,
                          int sseQueueCapacity, int maxInFlightWrites) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_REQUEST_BYTES = 10L * 1024 * 1024;
    public static final Duration DEFAULT_SSE_KEEP_ALIVE = Duration.ofSeconds(15);

    public ApiSettings {
        List<String> problems = new ArrayList<>();
        if (host == null || host.isBlank()) {
            problems.add("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            problems.add("port must be 0..65535, was " + port);
        }
        if (maxRequestBytes < 1) {
            problems.add("maxRequestBytes must be positive, was " + maxRequestBytes);
        }
        if (sseKeepAlive == null || sseKeepAlive.isNegative() || sseKeepAlive.isZero()) {
            problems.add("sseKeepAlive must be positive, was " + sseKeepAlive);
        }
        if (maxSseClients < 1) {
            problems.add("maxSseClients must be positive, was " + maxSseClients);
        }
        if (sseQueueCapacity < 1) {
            problems.add("sseQueueCapacity must be positive, was " + sseQueueCapacity);
        }
        if (maxInFlightWrites < 1) {
            problems.add("maxInFlightWrites must be positive, was " + maxInFlightWrites);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid API settings: " + String.join("; ", problems));
        }
    }

    /** The four settings the launcher sets; the others take their defaults. */
    public ApiSettings(String host, int port, long maxRequestBytes, Duration sseKeepAlive) {
        this(host, port, maxRequestBytes, sseKeepAlive, Builder.DEFAULT_MAX_SSE_CLIENTS,
            Builder.DEFAULT_SSE_QUEUE_CAPACITY, Builder.DEFAULT_MAX_IN_FLIGHT_WRITES);
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder().host(host).port(port).maxRequestBytes(maxRequestBytes).sseKeepAlive(sseKeepAlive)
            .maxSseClients(maxSseClients).sseQueueCapacity(sseQueueCapacity).maxInFlightWrites(maxInFlightWrites);
    }

    /** Mutable builder; {@link #build()} validates every field and reports every problem at once. */
    public static final class Builder {
        static final int DEFAULT_MAX_SSE_CLIENTS = 2000;
        static final int DEFAULT_SSE_QUEUE_CAPACITY = 1024;
        static final int DEFAULT_MAX_IN_FLIGHT_WRITES = 64;

        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private long maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
        private Duration sseKeepAlive = DEFAULT_SSE_KEEP_ALIVE;
        private int maxSseClients = DEFAULT_MAX_SSE_CLIENTS;
        private int sseQueueCapacity = DEFAULT_SSE_QUEUE_CAPACITY;
        private int maxInFlightWrites = DEFAULT_MAX_IN_FLIGHT_WRITES;

        private Builder() {
        }

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

        /** @throws IllegalArgumentException listing every invalid field */
        public ApiSettings build() {
            return new ApiSettings(host, port, maxRequestBytes, sseKeepAlive, maxSseClients, sseQueueCapacity,
                maxInFlightWrites);
        }
    }
}
