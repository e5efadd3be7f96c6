package dev.ledger.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.ingest.internal.BatchParser;
import dev.ledger.ingest.internal.BatchParser.ParsedBatch;
import dev.ledger.ingest.internal.IngestMetrics;
import dev.ledger.ingest.internal.MediaTypes;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.avro.LedgerEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer side of {@code POST /v1/events}: reads a body (JSON array or NDJSON), validates the
 * whole batch with {@link EventValidator}, checks the caller may write every event's tenant and
 * type, maps the events to Avro and publishes them all or none, each with the id of the credential
 * that submitted it. Thread-safe; {@link #submit} blocks until Kafka answered (or the publish
 * timeout passed) and never throws for any body.
 *
 * <pre>{@code
 * try (IngestService ingest = new IngestService(KafkaEventPublisher.create(bootstrap, Map.of()))) {
 *   IngestResult result = ingest.submit(body, "application/x-ndjson", "acme");
 * }
 * }</pre>
 */
public final class IngestService implements AutoCloseable {

  /** How long {@link #submit} waits for the publisher by default. */
  public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Most events in one batch by default ({@link LedgerLimits#maxBatchEvents()}); a bigger batch is
   * invalid (split it).
   */
  public static final int MAX_BATCH_SIZE = LedgerLimits.DEFAULTS.maxBatchEvents();

  /** The caller tenant that may write every tenant. */
  public static final String ANY_TENANT = "*";

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  private final EventPublisher publisher;
  private final Clock clock;
  private final Duration publishTimeout;
  private final LedgerLimits limits;
  private final IngestMetrics metrics = new IngestMetrics();

  /** Uses the system UTC clock for {@code received_at}. */
  public IngestService(EventPublisher publisher) {
    this(publisher, Clock.systemUTC());
  }

  public IngestService(EventPublisher publisher, Clock clock) {
    this(publisher, clock, DEFAULT_PUBLISH_TIMEOUT);
  }

  /**
   * @param publisher where accepted batches go, never null; closed by {@link #close()}
   * @param clock gives {@code received_at}, never null
   * @param publishTimeout how long {@link #submit} waits for the publisher before answering {@link
   *     IngestResult.Unavailable}; the batch may still be committed later, which is harmless
   *     because a retry reuses the event ids and the ledger deduplicates by {@code event_id}
   */
  public IngestService(EventPublisher publisher, Clock clock, Duration publishTimeout) {
    this(publisher, clock, publishTimeout, LedgerLimits.DEFAULTS);
  }

  /**
   * As {@link #IngestService(EventPublisher, Clock, Duration)}, with the sizes events and batches
   * may have and the most problems one answer lists.
   */
  public IngestService(
      EventPublisher publisher, Clock clock, Duration publishTimeout, LedgerLimits limits) {
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.publishTimeout = Objects.requireNonNull(publishTimeout, "publishTimeout");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Validates and publishes one batch for a caller that may report every event type, without
   * recording who submitted it.
   *
   * @param callerTenant the tenant the credential may write: a tenant name, or {@code "*"} for any;
   *     never null
   * @see #submit(byte[], String, Submitter)
   */
  public IngestResult submit(byte[] body, String contentType, String callerTenant) {
    return submit(
        body,
        contentType,
        Submitter.anyEvent(Objects.requireNonNull(callerTenant, "callerTenant")));
  }

  /**
   * Validates and publishes one batch.
   *
   * @param body raw request body (JSON array of events, or NDJSON: one event object per line; blank
   *     lines ignored), never null
   * @param contentType the request Content-Type header value, may be null (parameters like charset
   *     allowed)
   * @param submitter the credential: its tenant and permissions decide what it may write, its id is
   *     recorded on every event; never null
   * @return the outcome; invalid input wins over a forbidden tenant or event type
   */
  public IngestResult submit(byte[] body, String contentType, Submitter submitter) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(submitter, "submitter");
    IngestResult result = decide(body, contentType, submitter);
    metrics.batch(
        switch (result) {
          case IngestResult.Accepted a -> "accepted";
          case IngestResult.Invalid i -> "invalid";
          case IngestResult.Forbidden f -> "forbidden";
          case IngestResult.UnsupportedMediaType u -> "unsupported_media_type";
          case IngestResult.Unavailable u -> "unavailable";
        });
    return result;
  }

  /**
   * Records the service's meters ({@code ledger.ingest.batches} by result, {@code
   * ledger.ingest.events}, {@code ledger.ingest.publish}) in {@code registry} from now on.
   */
  public void bindTo(MeterRegistry registry) {
    metrics.bindTo(Objects.requireNonNull(registry, "registry"));
  }

  private IngestResult decide(byte[] body, String contentType, Submitter submitter) {
    try {
      Optional<String> refusal = MediaTypes.refusal(contentType);
      if (refusal.isPresent()) {
        return new IngestResult.UnsupportedMediaType(refusal.get());
      }
      ParsedBatch batch = BatchParser.parse(body, limits.maxBatchEvents());
      ProblemList problems = new ProblemList(limits.maxProblems());
      batch.problems().forEach(problems::add);
      EventValidator.validate(batch.events(), limits, problems::add);
      if (problems.total > 0) {
        problems.listed.sort(Comparator.comparingInt(Problem::index));
        return new IngestResult.Invalid(problems.listed, problems.total);
      }
      ProblemList forbidden = new ProblemList(limits.maxProblems());
      forbidden(batch.events(), submitter, forbidden);
      if (forbidden.total > 0) {
        return new IngestResult.Forbidden(
            "this credential (tenant "
                + submitter.tenant()
                + ") may not write every event of the batch: "
                + forbidden.total
                + " problem(s)"
                + (forbidden.total > forbidden.listed.size()
                    ? ", the first " + forbidden.listed.size() + " listed"
                    : "")
                + "; nothing was written",
            forbidden.listed);
      }
      Instant now = clock.instant();
      List<LedgerEvent> events = batch.events().stream().map(e -> EventJson.map(e, now)).toList();
      return publish(events, submitter.id());
    } catch (RuntimeException e) {
      // A bug, not bad input: the caller gets a retryable answer and the log gets the stack.
      LOG.error("ingest failed unexpectedly", e);
      return new IngestResult.Unavailable("internal error while ingesting: " + e);
    }
  }

  /**
   * Keeps the first {@code max} problems and counts the rest: a crafted batch can break thousands
   * of rules, and the answer must stay small.
   */
  private static final class ProblemList {
    private final int max;
    private final List<Problem> listed = new ArrayList<>();
    private int total;

    ProblemList(int max) {
      this.max = max;
    }

    void add(Problem problem) {
      total++;
      if (listed.size() < max) {
        listed.add(problem);
      }
    }
  }

  /**
   * Every event the submitter may not write, in event order: one of another tenant, or of a type
   * its permissions do not cover (each names the permission it lacks).
   */
  private static void forbidden(List<JsonNode> events, Submitter submitter, ProblemList forbidden) {
    for (int i = 0; i < events.size(); i++) {
      JsonNode event = events.get(i);
      JsonNode tenant = event.get("tenant");
      String name =
          tenant == null || tenant.isNull() ? LedgerKey.DEFAULT_TENANT : tenant.textValue();
      if (!ANY_TENANT.equals(submitter.tenant()) && !name.equals(submitter.tenant())) {
        forbidden.add(
            new Problem(
                i,
                "tenant",
                "tenant "
                    + name
                    + " is not writable with this credential, which may"
                    + " only write events of tenant "
                    + submitter.tenant()));
      }
      // The batch is valid here, so every type is one of the contract's.
      EventType type = EventType.fromWireName(event.get("type").textValue()).orElseThrow();
      if (!submitter.mayReport(type)) {
        forbidden.add(
            new Problem(
                i,
                "type",
                type.wireName()
                    + " needs the permission "
                    + type.permission()
                    + ", which this credential lacks"));
      }
    }
  }

  private IngestResult publish(List<LedgerEvent> events, String submittedBy) {
    long start = System.nanoTime();
    try {
      publisher.publish(events, submittedBy).get(publishTimeout.toMillis(), TimeUnit.MILLISECONDS);
      metrics.publish().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      metrics.accepted(events.size());
      return new IngestResult.Accepted(events.size());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      LOG.warn("publishing {} events failed: {}", events.size(), cause.toString());
      return new IngestResult.Unavailable(
          "Kafka did not accept the batch, nothing was written: " + cause.getMessage());
    } catch (TimeoutException e) {
      LOG.warn("publishing {} events timed out after {}", events.size(), publishTimeout);
      return new IngestResult.Unavailable(
          "Kafka did not answer within " + publishTimeout.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new IngestResult.Unavailable("interrupted while waiting for Kafka");
    }
  }

  /** Closes the publisher. */
  @Override
  public void close() {
    publisher.close();
  }
}
