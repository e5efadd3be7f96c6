package dev.ledger.ingest;

import dev.ledger.ingest.internal.TransactionalSender;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.LedgerEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Publishes batches to {@code ledger.events} with a transactional producer: one batch is one
 * transaction (or part of one, see below), so a batch is visible to read_committed consumers
 * completely or not at all.
 *
 * <p>One producer, one sender thread. A transactional producer runs one transaction at a time;
 * rather than a pool of producers, batches that arrive while a transaction commits are grouped into
 * the next one (group commit), which keeps one commit round trip per group instead of per request.
 * If that transaction fails, every batch in it fails and nothing of them is visible. After a fatal
 * error (fenced, out-of-order sequence, authorization) the producer is replaced.
 *
 * <p>Defaults (overridable): {@code acks=all}, idempotence on, {@code transactional.id =
 * ledger-ingest-<random UUID>}, {@code delivery.timeout.ms=30000}, {@code
 * request.timeout.ms=10000}, {@code max.block.ms=30000} (bounds initTransactions and commit),
 * {@code linger.ms=5}.
 */
public final class KafkaEventPublisher implements EventPublisher {

  /** A transaction stops taking further batches once it holds this many records. */
  public static final int DEFAULT_MAX_RECORDS_PER_TRANSACTION = 5_000;

  /**
   * Most records waiting for a transaction (ten full batches); while Kafka is away, a batch beyond
   * it is answered 503 at once instead of piling up in memory.
   */
  public static final int DEFAULT_MAX_QUEUED_RECORDS = 100_000;

  private final TransactionalSender<String, LedgerEvent> sender;

  private KafkaEventPublisher(Map<String, Object> config, int maxRecordsPerTransaction) {
    this.sender =
        new TransactionalSender<>(
            () ->
                new KafkaProducer<>(
                    config,
                    Topics.EVENTS.keySerde().serializer(),
                    Topics.EVENTS.valueSerde().serializer()),
            maxRecordsPerTransaction,
            DEFAULT_MAX_QUEUED_RECORDS,
            "ledger-ingest-sender");
  }

  /**
   * A publisher for the cluster at {@code bootstrapServers}. Does not contact the broker yet: the
   * first batch initialises the transactions, so a cluster that is down shows up as {@link
   * IngestResult.Unavailable}, not as an exception here.
   *
   * @param bootstrapServers the Kafka bootstrap servers, never null
   * @param producerOverrides producer configs that replace the defaults, never null (may be empty)
   */
  public static KafkaEventPublisher create(
      String bootstrapServers, Map<String, Object> producerOverrides) {
    return create(bootstrapServers, producerOverrides, DEFAULT_MAX_RECORDS_PER_TRANSACTION);
  }

  /**
   * As {@link #create(String, Map)}, with the size at which a transaction stops grouping further
   * batches; 1 gives one transaction per batch.
   */
  public static KafkaEventPublisher create(
      String bootstrapServers,
      Map<String, Object> producerOverrides,
      int maxRecordsPerTransaction) {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "ledger-ingest");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ledger-ingest-" + UUID.randomUUID());
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // A transaction begun right after a commit can be answered CONCURRENT_TRANSACTIONS while the
    // broker still writes the markers; the default backoff grows to 1 s and stalls every request.
    config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
    config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 100);
    config.putAll(producerOverrides);
    return new KafkaEventPublisher(Map.copyOf(config), Math.max(1, maxRecordsPerTransaction));
  }

  /** The key of an event on every ledger topic: {@code tenant/token_id} of its body. */
  public static String keyOf(LedgerEvent event) {
    return LedgerKey.of(event).toString();
  }

  @Override
  public CompletableFuture<Void> publish(List<LedgerEvent> events) {
    return publish(events, null);
  }

  /**
   * Each record carries {@code submittedBy} in the {@code ledger.submitted_by} header (none when
   * null).
   */
  @Override
  public CompletableFuture<Void> publish(List<LedgerEvent> events, String submittedBy) {
    List<Header> headers =
        submittedBy == null
            ? List.of()
            : List.of(
                new RecordHeader(
                    Topics.EVENTS_HEADER_SUBMITTED_BY,
                    submittedBy.getBytes(StandardCharsets.UTF_8)));
    List<ProducerRecord<String, LedgerEvent>> records =
        events.stream()
            .map(e -> new ProducerRecord<>(Topics.EVENTS.name(), null, keyOf(e), e, headers))
            .toList();
    return sender.send(records);
  }

  /**
   * The underlying producer, so the caller can bind Micrometer {@code KafkaClientMetrics} to it.
   * After a fatal error a new producer replaces it (rare; rebinding is then up to the caller).
   */
  public Producer<String, LedgerEvent> producer() {
    return sender.producer();
  }

  /** Sends what is queued, then closes the producer (waits at most 10 s). */
  @Override
  public void close() {
    sender.close();
  }
}
