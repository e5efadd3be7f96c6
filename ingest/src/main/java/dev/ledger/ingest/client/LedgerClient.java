package dev.ledger.ingest.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.ingest.EventJson;
import dev.ledger.ingest.EventPublisher;
import dev.ledger.ingest.EventValidator;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.KafkaEventPublisher;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.client.internal.HttpTransport;
import dev.ledger.ingest.client.internal.KafkaTransport;
import dev.ledger.ingest.client.internal.Transport;
import dev.ledger.schemas.avro.LedgerEvent;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to the ledger, straight to Kafka or through the HTTP API, all of a batch or none. A
 * batch is validated here first (the same rules as the ledger's). Failures that may pass are
 * retried by the {@link RetryPolicy} with the very same events: the {@code event_id} of each is
 * fixed when it is built, so a retry after a lost answer never makes the ledger count an event
 * twice. Thread-safe.
 *
 * <pre>{@code
 * try (LedgerClient ledger = LedgerClient.overHttp(URI.create("http://127.0.0.1:8080"), key)) {
 *   ledger.send(Events.revoked("tok-flights").tenant("acme").reason("agent misbehaving").build());
 * }
 * }</pre>
 */
public final class LedgerClient implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerClient.class);
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Transport transport;
  private final RetryPolicy retry;

  private LedgerClient(Transport transport, RetryPolicy retry) {
    this.transport = transport;
    this.retry = Objects.requireNonNull(retry, "retry");
  }

  /** A client writing to {@code ledger.events} with a transactional producer, default retries. */
  public static LedgerClient overKafka(
      String bootstrapServers, Map<String, Object> producerOverrides) {
    return overKafka(
        KafkaEventPublisher.create(bootstrapServers, producerOverrides), RetryPolicy.defaults());
  }

  /** A client writing through {@code publisher} (closed with the client). */
  public static LedgerClient overKafka(EventPublisher publisher, RetryPolicy retry) {
    return new LedgerClient(
        new KafkaTransport(
            Objects.requireNonNull(publisher, "publisher"), Clock.systemUTC(), DEFAULT_TIMEOUT),
        retry);
  }

  /**
   * A client posting to {@code baseUri + /v1/events} with {@code bearerKey}, default retries, 60 s
   * per attempt.
   */
  public static LedgerClient overHttp(URI baseUri, String bearerKey) {
    return overHttp(baseUri, bearerKey, RetryPolicy.defaults(), DEFAULT_TIMEOUT);
  }

  /**
   * @param baseUri the ledger's address, e.g. {@code http://127.0.0.1:8080}, never null
   * @param bearerKey a credential with the producer or admin role, never null
   * @param retry when to try again
   * @param requestTimeout the longest one attempt may take
   */
  public static LedgerClient overHttp(
      URI baseUri, String bearerKey, RetryPolicy retry, Duration requestTimeout) {
    return new LedgerClient(
        new HttpTransport(
            Objects.requireNonNull(baseUri, "baseUri"),
            Objects.requireNonNull(bearerKey, "bearerKey"),
            requestTimeout),
        retry);
  }

  /** Sends the events as one batch; see {@link #send(List)}. */
  public int send(LedgerEvent... events) {
    return send(Arrays.asList(events));
  }

  /**
   * Sends the events as one batch, retrying what may pass.
   *
   * @param events at least one event, never null
   * @return how many events the ledger accepted (all of them)
   * @throws InvalidEventException when the batch breaks the contract (nothing was sent)
   * @throws LedgerClientException when the ledger refused the batch or retries ran out; nothing of
   *     the batch is visible unless an answer was lost after a commit (then a resend is harmless)
   */
  public int send(List<LedgerEvent> events) {
    List<JsonNode> json = events.stream().<JsonNode>map(EventJson::toJsonNode).toList();
    List<Problem> problems =
        json.isEmpty()
            ? List.of(Problem.ofBody("the batch is empty: send at least one event"))
            : EventValidator.validate(json);
    if (!problems.isEmpty()) {
      throw new InvalidEventException(problems);
    }
    List<LedgerEvent> batch = List.copyOf(events);
    for (int attempt = 1; ; attempt++) {
      try {
        transport.deliver(batch);
        return batch.size();
      } catch (LedgerClientException e) {
        if (!e.retryable() || attempt >= retry.maxAttempts()) {
          throw e;
        }
        Duration wait = retry.backoff(attempt, e.retryAfter());
        LOG.info(
            "attempt {} of {} to send {} events failed ({}), retrying in {} ms",
            attempt,
            retry.maxAttempts(),
            batch.size(),
            e.getMessage(),
            wait.toMillis());
        sleep(wait);
      }
    }
  }

  private static void sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerClientException(
          -1, false, "interrupted while waiting to retry", List.of(), e);
    }
  }

  /** Closes the transport (the producer or the HTTP client). */
  @Override
  public void close() {
    transport.close();
  }
}
