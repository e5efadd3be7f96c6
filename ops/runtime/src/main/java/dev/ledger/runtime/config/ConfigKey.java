package dev.ledger.runtime.config;

import dev.ledger.schemas.LedgerLimits;
import dev.ledger.streams.StreamsSettings;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Every configuration key the ledger reads, with its type, default and meaning (printed by {@code
 * ledger config --keys}).
 */
public enum ConfigKey {
  DATA_DIR(
      "data.dir",
      Type.STRING,
      "data",
      "where the embedded broker, streams state, index and keys live"),
  BOOTSTRAP_SERVERS(
      "kafka.bootstrap.servers",
      Type.STRING,
      "",
      "an external Kafka cluster; empty (and no bootstrap.servers in kafka.config.file) = start the embedded broker"),
  KAFKA_CONFIG_FILE(
      "kafka.config.file",
      Type.STRING,
      "",
      "Kafka client settings file (bootstrap.servers, security.protocol, sasl.*, ssl.*), such as the data/kafka-client.properties of a ledger up; kafka.bootstrap.servers and kafka.client.* win over it"),
  EMBEDDED_PORT(
      "kafka.embedded.port", Type.PORT, "9092", "client port of the embedded broker (127.0.0.1)"),
  PARTITIONS(
      "topics.partitions", Type.POSITIVE_INT, "6", "partitions of every ledger topic created"),
  REPLICATION(
      "topics.replication.factor",
      Type.POSITIVE_INT,
      null,
      "replication factor of every ledger topic created (default: the cluster's brokers, at most 3); from 3 on, min.insync.replicas=2"),
  HTTP_HOST("http.host", Type.STRING, "127.0.0.1", "address the HTTP API listens on"),
  HTTP_PORT("http.port", Type.PORT, "8080", "port of the HTTP API (0 = any free port)"),
  HTTP_TLS(
      "http.tls",
      Type.STRING,
      "off",
      "off: plain HTTP; self-signed: HTTPS with a certificate created in data/ on first start (tls-self-signed.p12, 0600; clients trust tls-self-signed.pem); or the path of a PKCS12 (.p12, .pfx) or PEM certificate file to serve HTTPS with"),
  HTTP_TLS_KEY(
      "http.tls.key",
      Type.STRING,
      "",
      "PEM private key file of a PEM http.tls certificate (empty = in the certificate's file)"),
  HTTP_TLS_PASSWORD("http.tls.password", Type.STRING, "", "password of a PKCS12 http.tls file"),
  HTTP_MAX_REQUEST_BYTES(
      "http.max.request.bytes",
      Type.POSITIVE_LONG,
      "10485760",
      "largest accepted request body (413 above)"),
  STREAMS_APPLICATION_ID(
      "streams.application.id",
      Type.STRING,
      StreamsSettings.DEFAULT_APPLICATION_ID,
      "Kafka Streams application id"),
  STREAMS_STATE_DIR(
      "streams.state.dir",
      Type.STRING,
      null,
      "Kafka Streams state (default: <data.dir>/streams)",
      "streams"),
  STREAMS_THREADS("streams.threads", Type.POSITIVE_INT, "1", "stream threads"),
  STREAMS_INSTANCES(
      "streams.instances",
      Type.POSITIVE_INT,
      "1",
      "how many ledger streams instances share the work; above 1 each task keeps a standby copy of its state on another instance (num.standby.replicas=1)"),
  STREAMS_SESSION_TIMEOUT(
      "streams.session.timeout",
      Type.DURATION,
      "10s",
      "how long an instance that stopped answering keeps its tasks before the others take them over (session.timeout.ms)"),
  STREAMS_INSTANCE_ID(
      "streams.instance.id",
      Type.STRING,
      "",
      "a name, stable across restarts and unique among the instances, for static membership (group.instance.id): a restart within the session timeout takes its tasks back without a rebalance; empty = dynamic membership, except on the embedded broker, where it is `embedded`"),
  STREAMS_EXACTLY_ONCE(
      "streams.exactly.once", Type.BOOLEAN, "true", "processing.guarantee=exactly_once_v2"),
  STREAMS_COMMIT_INTERVAL(
      "streams.commit.interval",
      Type.DURATION,
      "100ms",
      "commit interval: latency of audit records and token updates versus throughput (revocations commit at once)"),
  STREAMS_USES_FLUSH_INTERVAL(
      "streams.uses.flush.interval",
      Type.DURATION,
      "500ms",
      "how often uses on ledger.tokens are brought up to date (coalesced: at most this plus one commit behind)"),
  STREAMS_DEPTH_LIMIT(
      "streams.depth.limit",
      Type.POSITIVE_INT,
      "32",
      "chains deeper than this are flagged depth_limit"),
  STREAMS_MAX_DEPTH(
      "streams.max.depth",
      Type.POSITIVE_INT,
      "64",
      "hard bound: a token deeper than this never resolves (refused with depth_limit, what hangs below it is an orphan)"),
  STREAMS_UNKNOWN_TOKEN_GRACE(
      "streams.unknown.token.grace",
      Type.DURATION,
      "5m",
      "wait before a use of a never-issued token is flagged unknown_token, and before a token whose parent is unknown is audited without its chain"),
  STREAMS_DEDUPE_RETENTION(
      "streams.dedupe.retention",
      Type.DURATION,
      "0s",
      "how long event ids are remembered to drop duplicates; 0s = forever (a bound caps the state, but a later copy is processed again, except of an allowed use, which the tree processor keeps for good)"),
  STREAMS_TEST_CRASH_AFTER_RECORDS(
      "streams.test.crash.after.records",
      Type.STRING,
      "",
      "TEST ONLY, leave empty: comma-separated event counts at which a stream thread throws once (fault injection for ledger bench fault-campaign --fault crash_stream_thread)"),
  INDEX_DIR(
      "index.dir", Type.STRING, null, "the Lucene index (default: <data.dir>/index)", "index"),
  INDEX_REFRESH(
      "index.refresh",
      Type.DURATION,
      "25ms",
      "near-real-time reopen interval when idle; under write load it grows by itself up to 500 ms (a query waiting for fresh data still gets a reopen at once)"),
  KEYS_FILE(
      "keys.file",
      Type.STRING,
      null,
      "hashed API keys (default: <data.dir>/keys.json)",
      "keys.json"),
  JWT_JWKS(
      "auth.jwt.jwks",
      Type.STRING,
      "",
      "JWKS URL (https://...) or file accepting bearer JWTs; empty = API keys only"),
  JWT_ISSUER("auth.jwt.issuer", Type.STRING, "", "required iss of bearer JWTs"),
  JWT_AUDIENCE("auth.jwt.audience", Type.STRING, "", "required aud of bearer JWTs"),
  SSE_KEEP_ALIVE(
      "http.sse.keep.alive",
      Type.DURATION,
      "15s",
      "keep-alive comment interval on /v1/revocations/stream"),
  SSE_MAX_CLIENTS(
      "http.sse.max.clients",
      Type.POSITIVE_INT,
      "2000",
      "concurrent revocation stream subscribers (429 above)"),
  SSE_MAX_CLIENTS_PER_CREDENTIAL(
      "http.sse.max.clients.per.credential",
      Type.POSITIVE_INT,
      "100",
      "concurrent revocation stream subscribers of one credential (429 above)"),
  HTTP_MAX_IN_FLIGHT(
      "http.ingest.max.in.flight",
      Type.POSITIVE_INT,
      "64",
      "concurrent POST /v1/events requests (429 above)"),
  HTTP_MAX_IN_FLIGHT_PER_CREDENTIAL(
      "http.ingest.max.in.flight.per.credential",
      Type.POSITIVE_INT,
      "16",
      "concurrent POST /v1/events requests of one credential (429 above)"),
  HTTP_MAX_STREAMS(
      "http.streams.max",
      Type.POSITIVE_INT,
      "32",
      "concurrent streamed responses: exports and format=ndjson audit (429 above)"),
  HTTP_MAX_STREAMS_PER_CREDENTIAL(
      "http.streams.max.per.credential",
      Type.POSITIVE_INT,
      "4",
      "concurrent streamed responses of one credential (429 above)"),
  HTTP_BODY_TIMEOUT(
      "http.request.body.timeout",
      Type.DURATION,
      "60s",
      "longest time a request body may take to arrive (408 above)"),
  HTTP_IDLE_TIMEOUT(
      "http.idle.timeout",
      Type.DURATION,
      "30s",
      "a connection that makes no progress this long is closed"),
  HTTP_CREDENTIAL_RECHECK(
      "http.credential.recheck",
      Type.DURATION,
      "1s",
      "how often open streams check that their credential is not revoked or expired"),
  NOTARY_ENABLED(
      "notary.enabled",
      Type.BOOLEAN,
      "true",
      "run the notary (the signed integrity log that exports are proven against) in this API instance; exactly one instance of a deployment may: set false on the others, which then answer /v1/exports and /v1/keys with 503"),
  SSF_ISSUER(
      "ssf.issuer",
      Type.STRING,
      "",
      "public base URL of the Shared Signals transmitter: the SETs' iss and the prefix of its endpoints (empty = http://<http.host>:<port>)"),
  SSF_DEFAULT_SUBJECTS(
      "ssf.default.subjects",
      Type.STRING,
      "ALL",
      "ALL: an SSF stream gets every revocation of its tenant; NONE: only those of the subjects added to it"),
  SSF_PUSH_DEAD_LETTER_AFTER(
      "ssf.push.dead.letter.after",
      Type.DURATION,
      "1h",
      "a pushed SET still failing after this long is dead-lettered (shown in the stream's status) and the stream moves on"),
  SSF_PUSH_MAX_BACKOFF(
      "ssf.push.max.backoff",
      Type.DURATION,
      "30s",
      "longest wait between two attempts of a failing push (the first is 200 ms, doubling)"),
  SSF_MIN_VERIFICATION_INTERVAL(
      "ssf.min.verification.interval",
      Type.DURATION,
      "10s",
      "a stream's verification request sooner than this after its previous one is answered 429 (the streams' min_verification_interval; 0s = no limit)"),
  SSF_INACTIVITY_TIMEOUT(
      "ssf.inactivity.timeout",
      Type.DURATION,
      "30d",
      "an enabled SSF stream whose receiver makes no call (and accepts no push) this long is paused and sent stream-updated (the streams' inactivity_timeout; 0s = never)"),
  SSF_STREAMS_PER_RECEIVER(
      "ssf.streams.per.receiver",
      Type.POSITIVE_INT,
      "100",
      "most SSF streams one receiver (credential) may have; creating one more is 409 (1 = one stream per receiver, SSF 1.0 section 8.1.1.1)"),
  SSF_SESSION_TIMEOUT(
      "ssf.session.timeout",
      Type.DURATION,
      "10s",
      "with several API instances, how long one that dies keeps pushing rights to its SSF streams before another takes them over (one that stops hands them over at once)"),
  SSF_PUSH_TRUST(
      "ssf.push.trust",
      Type.STRING,
      "",
      "PEM file of certificates SSF push delivery trusts besides the JVM's default authorities: a private CA's, or a receiver's self-signed one (empty = the default ones only)"),
  LIMITS_EVENT_ID_LENGTH(
      "limits.event.id.length",
      Type.POSITIVE_INT,
      String.valueOf(LedgerLimits.DEFAULTS.maxEventIdLength()),
      "longest event_id"),
  LIMITS_TOKEN_ID_LENGTH(
      "limits.token.id.length",
      Type.POSITIVE_INT,
      String.valueOf(LedgerLimits.DEFAULTS.maxTokenIdLength()),
      "longest token_id and parent_token_id"),
  LIMITS_TEXT_LENGTH(
      "limits.text.length",
      Type.POSITIVE_INT,
      String.valueOf(LedgerLimits.DEFAULTS.maxTextLength()),
      "longest producer text (actor, subject, issuer, resource, action, reason, source, request_id, a list item, an attribute value)"),
  LIMITS_LIST_ITEMS(
      "limits.list.items",
      Type.POSITIVE_INT,
      String.valueOf(LedgerLimits.DEFAULTS.maxListItems()),
      "most items of audience, scopes and caveats"),
  LIMITS_ATTRIBUTES(
      "limits.attributes",
      Type.POSITIVE_INT,
      String.valueOf(LedgerLimits.DEFAULTS.maxAttributes()),
      "most entries of one attributes map"),
  LIMITS_EVENT_CHARS(
      "limits.event.chars",
      Type.POSITIVE_INT,
      String.valueOf(LedgerLimits.DEFAULTS.maxEventChars()),
      "most characters of text in one event"),
  LIMITS_BATCH_EVENTS(
      "limits.batch.events",
      Type.POSITIVE_INT,
      String.valueOf(LedgerLimits.DEFAULTS.maxBatchEvents()),
      "most events of one POST /v1/events batch"),
  LIMITS_PROBLEMS(
      "limits.problems",
      Type.POSITIVE_INT,
      String.valueOf(LedgerLimits.DEFAULTS.maxProblems()),
      "most problems one 400 answer lists (it says how many there were)");

  private final String key;
  private final Type type;
  private final String defaultValue;
  private final String description;
  private final String defaultSubdir;

  ConfigKey(String key, Type type, String defaultValue, String description) {
    this(key, type, defaultValue, description, null);
  }

  ConfigKey(String key, Type type, String defaultValue, String description, String defaultSubdir) {
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.description = description;
    this.defaultSubdir = defaultSubdir;
  }

  public String key() {
    return key;
  }

  public Type type() {
    return type;
  }

  /** The default, or null when it derives from another key. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  String defaultSubdir() {
    return defaultSubdir;
  }

  /** Value types; {@link #check} returns a problem description or null. */
  public enum Type {
    STRING,
    BOOLEAN,
    PORT,
    POSITIVE_INT,
    POSITIVE_LONG,
    DURATION;

    String check(String v) {
      try {
        switch (this) {
          case BOOLEAN -> {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
              return "must be true or false";
            }
          }
          case PORT -> {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
              return "must be a port number 0..65535";
            }
          }
          case POSITIVE_INT -> {
            if (Integer.parseInt(v) <= 0) {
              return "must be a positive whole number";
            }
          }
          case POSITIVE_LONG -> {
            if (Long.parseLong(v) <= 0) {
              return "must be a positive whole number";
            }
          }
          case DURATION -> parseDuration(v);
          case STRING -> {}
        }
        return null;
      } catch (NumberFormatException e) {
        return "must be a whole number";
      } catch (IllegalArgumentException e) {
        return e.getMessage();
      }
    }

    /** {@code 50ms}, {@code 10s}, {@code 5m}, {@code 1h}, or ISO-8601 {@code PT5M}. */
    public static Duration parseDuration(String v) {
      String s = v.trim();
      try {
        if (s.startsWith("P") || s.startsWith("p")) {
          return Duration.parse(s);
        }
        if (s.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          case 'd' -> Duration.ofDays(n);
          default ->
              throw new IllegalArgumentException(
                  "must be a duration like 50ms, 10s, 5m, 1h or PT5M");
        };
      } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
        throw new IllegalArgumentException("must be a duration like 50ms, 10s, 5m, 1h or PT5M");
      }
    }
  }
}
