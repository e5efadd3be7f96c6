package dev.ledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.testkit.Examples;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IngestServiceTest {

  private static final Instant NOW = Instant.parse("2026-11-20T09:10:00.500Z");
  private static final String NDJSON = "application/x-ndjson";

  /** Records what it was asked to publish; answers with {@code answer}. */
  static final class FakePublisher implements EventPublisher {
    final List<List<LedgerEvent>> published = new CopyOnWriteArrayList<>();
    final List<String> submitters = new CopyOnWriteArrayList<>();
    volatile CompletableFuture<Void> answer = CompletableFuture.completedFuture(null);
    volatile boolean closed;

    @Override
    public CompletableFuture<Void> publish(List<LedgerEvent> events) {
      published.add(List.copyOf(events));
      return answer;
    }

    @Override
    public CompletableFuture<Void> publish(List<LedgerEvent> events, String submittedBy) {
      submitters.add(String.valueOf(submittedBy));
      return publish(events);
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final FakePublisher publisher = new FakePublisher();
  private final IngestService ingest =
      new IngestService(publisher, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(300));

  private IngestResult submit(String body, String contentType) {
    return ingest.submit(TestEvents.utf8(body), contentType, "*");
  }

  @Test
  void acceptsTheQuickstartBatchAsNdjson() {
    assertThat(submit(Examples.quickstartNdjson(), NDJSON)).isEqualTo(new IngestResult.Accepted(6));
    assertThat(publisher.published)
        .singleElement()
        .satisfies(
            batch -> {
              assertThat(batch)
                  .extracting(LedgerEvent::getEventId)
                  .containsExactly("ev-001", "ev-002", "ev-003", "ev-004", "ev-005", "ev-006");
              assertThat(batch).extracting(LedgerEvent::getReceivedAt).containsOnly(NOW);
              assertThat(batch)
                  .extracting(KafkaEventPublisher::keyOf)
                  .containsExactly(
                      "acme/tok-root",
                      "acme/tok-flights",
                      "acme/tok-flights-lhr",
                      "acme/tok-flights-lhr",
                      "acme/tok-flights",
                      "acme/tok-flights-lhr");
            });
  }

  @Test
  void acceptsAJsonArray() {
    String array = TestEvents.quickstart().toString();
    assertThat(submit("\n  " + array, "application/json; charset=UTF-8"))
        .isEqualTo(new IngestResult.Accepted(6));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "APPLICATION/X-NDJSON",
        "application/jsonl",
        "application/x-ndjson;charset=utf-8"
      })
  void acceptedMediaTypes(String contentType) {
    assertThat(submit(Examples.quickstartNdjson(), contentType))
        .isInstanceOf(IngestResult.Accepted.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"text/plain", "application/xml", "application/json; charset=ISO-8859-1", " "})
  void refusedMediaTypes(String contentType) {
    assertThat(submit(Examples.quickstartNdjson(), contentType))
        .isInstanceOf(IngestResult.UnsupportedMediaType.class);
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void aMissingContentTypeNamesTheAcceptedOnes() {
    assertThat(submit(Examples.quickstartNdjson(), null))
        .isInstanceOfSatisfying(
            IngestResult.UnsupportedMediaType.class,
            r ->
                assertThat(r.message())
                    .contains("application/json", "application/x-ndjson", "application/jsonl"));
  }

  @Test
  void blankLinesAreIgnoredAndDoNotCount() {
    List<ObjectNode> events = TestEvents.quickstart();
    events.get(1).put("occurred_at", "later");
    String body = "\n" + events.get(0) + "\r\n   \n" + events.get(1) + "\n\n";
    assertThat(submit(body, NDJSON))
        .isEqualTo(
            new IngestResult.Invalid(
                List.of(
                    new Problem(
                        1,
                        "occurred_at",
                        "must be an RFC 3339 timestamp with seconds and an offset, like 2026-11-20T09:00:00Z"))));
  }

  @Test
  void everyUnparsableLineIsReportedWithItsIndex() {
    List<String> lines = new java.util.ArrayList<>(Examples.quickstartNdjson().lines().toList());
    lines.set(1, "{\"event_id\": ");
    lines.set(4, "not json");
    IngestResult result = submit(String.join("\n", lines), NDJSON);
    assertThat(result)
        .isInstanceOfSatisfying(
            IngestResult.Invalid.class,
            r -> {
              assertThat(r.problems()).extracting(Problem::index).containsExactly(1, 4);
              assertThat(r.problems())
                  .allSatisfy(p -> assertThat(p.reason()).startsWith("not valid JSON"));
            });
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void parseAndValidationProblemsAreReportedTogether() {
    List<String> lines = new java.util.ArrayList<>(Examples.quickstartNdjson().lines().toList());
    lines.set(0, "{,}");
    lines.set(3, lines.get(3).replace("\"allowed\"", "\"perhaps\""));
    IngestResult result = submit(String.join("\n", lines), NDJSON);
    assertThat(result)
        .isInstanceOfSatisfying(
            IngestResult.Invalid.class,
            r ->
                assertThat(r.problems())
                    .extracting(Problem::index, Problem::field)
                    .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, null),
                        org.assertj.core.groups.Tuple.tuple(3, "use.outcome")));
  }

  @Test
  void anUnparsableArrayIsAWholeBodyProblem() {
    IngestResult result = submit("[{\"event_id\":\"a\"},", "application/json");
    assertThat(result)
        .isInstanceOfSatisfying(
            IngestResult.Invalid.class,
            r ->
                assertThat(r.problems())
                    .singleElement()
                    .satisfies(
                        p -> {
                          assertThat(p.index()).isEqualTo(-1);
                          assertThat(p.field()).isNull();
                          assertThat(p.reason()).startsWith("not valid JSON at line 1");
                        }));
  }

  @Test
  void duplicateKeysAndTrailingGarbageAreNotValidJson() {
    String event = TestEvents.valid(EventType.REVOKED).toString();
    assertThat(
            submit(
                event.replace(
                    "{\"event_id\":\"ev-005\"", "{\"event_id\":\"ev-005\",\"event_id\":\"x\""),
                NDJSON))
        .isInstanceOf(IngestResult.Invalid.class);
    assertThat(submit("[" + event + "] []", NDJSON)).isInstanceOf(IngestResult.Invalid.class);
    assertThat(submit(event + " " + event, NDJSON)).isInstanceOf(IngestResult.Invalid.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   \n\n ", "[]", " [ ] "})
  void anEmptyBatchIsInvalid(String body) {
    assertThat(submit(body, "application/json"))
        .isEqualTo(
            new IngestResult.Invalid(
                List.of(Problem.ofBody("the batch is empty: send at least one event"))));
  }

  @Test
  void aBatchTooLargeIsInvalid() {
    String line = TestEvents.valid(EventType.REVOKED).toString();
    String body = (line + "\n").repeat(IngestService.MAX_BATCH_SIZE + 1);
    assertThat(submit(body, NDJSON))
        .isInstanceOfSatisfying(
            IngestResult.Invalid.class,
            r ->
                assertThat(r.problems())
                    .singleElement()
                    .satisfies(p -> assertThat(p.reason()).contains("at most 10000")));
  }

  @Test
  void anOversizedArrayIsRefusedAtTheCapWithoutParsingTheRest() {
    // Element 4 is not JSON: a parser that reads the whole array first reports that instead.
    IngestService capped =
        new IngestService(
            publisher,
            Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofMillis(300),
            dev.ledger.schemas.LedgerLimits.builder().maxBatchEvents(3).build());
    String line = TestEvents.valid(EventType.REVOKED).toString();
    assertThat(
            capped.submit(
                TestEvents.utf8("[" + line + "," + line + "," + line + "," + "{nonsense"),
                NDJSON,
                "*"))
        .isEqualTo(
            new IngestResult.Invalid(
                List.of(Problem.ofBody("the batch has more than 3 events, at most 3: split it"))));
    assertThat(capped.submit(TestEvents.utf8(("\n" + line).repeat(3) + "\n{nonsense"), NDJSON, "*"))
        .isEqualTo(
            new IngestResult.Invalid(
                List.of(Problem.ofBody("the batch has more than 3 events, at most 3: split it"))));
    String other = line.replace("\"ev-005\"", "\"ev-other\"");
    assertThat(
            capped.submit(TestEvents.utf8("[" + line + "," + other + "]"), "application/json", "*"))
        .isEqualTo(new IngestResult.Accepted(2));
  }

  @Test
  void aBatchOfManyProblemsListsTheFirst100AndCountsAll() {
    // Every event breaks 3 rules: 500 events give 1,500 problems, of which the answer lists 100.
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      body.append(
          "{\"event_id\":\"ev-"
              + i
              + "\",\"type\":\"token.revoked\",\"occurred_at\":\"x\",\"source\":\"\"}\n");
    }
    assertThat(submit(body.toString(), NDJSON))
        .isInstanceOfSatisfying(
            IngestResult.Invalid.class,
            r -> {
              assertThat(r.total()).isEqualTo(1500);
              assertThat(r.problems()).hasSize(100);
              assertThat(r.problems().get(0).index()).isZero();
              assertThat(r.problems()).extracting(Problem::index).isSorted();
            });
  }

  @Test
  void eventsOfAnotherTenantAreForbidden() {
    List<ObjectNode> events = TestEvents.quickstart();
    events.get(2).put("tenant", "globex");
    events.get(4).remove("tenant");
    IngestResult result = ingest.submit(TestEvents.ndjson(events), NDJSON, "acme");
    assertThat(result)
        .isInstanceOfSatisfying(
            IngestResult.Forbidden.class,
            r -> {
              assertThat(r.message()).contains("acme");
              assertThat(r.problems()).extracting(Problem::index).containsExactly(2, 4);
              assertThat(r.problems().get(1).reason()).contains("tenant default");
              assertThat(r.problems()).extracting(Problem::field).containsOnly("tenant");
            });
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void theCallersOwnTenantAndTheWildcardMayWrite() {
    assertThat(ingest.submit(TestEvents.utf8(Examples.quickstartNdjson()), NDJSON, "acme"))
        .isEqualTo(new IngestResult.Accepted(6));
    ObjectNode noTenant = TestEvents.valid(EventType.REVOKED);
    noTenant.remove("tenant");
    assertThat(ingest.submit(TestEvents.ndjson(List.of(noTenant)), NDJSON, "default"))
        .isEqualTo(new IngestResult.Accepted(1));
  }

  @Test
  void eachEventTypeNeedsItsPermissionAndARefusedOneWritesNothing() {
    // A resource server's credential: uses only.
    Submitter usesOnly =
        new Submitter("3f9c0a1b2d4e5f60", "acme", Set.of("events:use", "read:revocations"));
    IngestResult result =
        ingest.submit(TestEvents.utf8(Examples.quickstartNdjson()), NDJSON, usesOnly);
    assertThat(result)
        .isInstanceOfSatisfying(
            IngestResult.Forbidden.class,
            r -> {
              assertThat(r.problems()).extracting(Problem::index).containsExactly(0, 1, 2, 4);
              assertThat(r.problems()).extracting(Problem::field).containsOnly("type");
              assertThat(r.problems().get(0).reason())
                  .isEqualTo(
                      "token.issued needs the permission events:issue, which this credential lacks");
              assertThat(r.problems().get(3).reason()).contains("token.revoked", "events:revoke");
              assertThat(r.message()).contains("4 problem(s)", "nothing was written");
            });
    assertThat(publisher.published).isEmpty();

    ObjectNode use = TestEvents.valid(EventType.USED);
    assertThat(ingest.submit(TestEvents.ndjson(List.of(use)), NDJSON, usesOnly))
        .isEqualTo(new IngestResult.Accepted(1));
    assertThat(publisher.submitters).containsExactly("3f9c0a1b2d4e5f60");
  }

  @Test
  void aRefusalListsAtMostTheConfiguredNumberOfProblems() {
    IngestService capped =
        new IngestService(
            publisher,
            Clock.fixed(NOW, ZoneOffset.UTC),
            Duration.ofMillis(300),
            LedgerLimits.DEFAULTS.toBuilder().maxProblems(2).build());
    Submitter usesOnly = new Submitter("k", "acme", Set.of("events:use"));
    assertThat(capped.submit(TestEvents.utf8(Examples.quickstartNdjson()), NDJSON, usesOnly))
        .isInstanceOfSatisfying(
            IngestResult.Forbidden.class,
            r -> {
              assertThat(r.problems()).extracting(Problem::index).containsExactly(0, 1);
              assertThat(r.message()).contains("4 problem(s), the first 2 listed");
            });
  }

  @Test
  void aForeignTenantAndAMissingPermissionAreListedTogetherInEventOrder() {
    List<ObjectNode> events = TestEvents.quickstart();
    events.get(3).put("tenant", "globex");
    Submitter revoker = new Submitter("k", "acme", Set.of("events:issue", "events:use"));
    IngestResult result = ingest.submit(TestEvents.ndjson(events), NDJSON, revoker);
    assertThat(result)
        .isInstanceOfSatisfying(
            IngestResult.Forbidden.class,
            r ->
                assertThat(r.problems())
                    .extracting(p -> p.index() + " " + p.field())
                    .containsExactly("3 tenant", "4 type"));
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void aTokenDefinedTwiceInOneBatchIsInvalid() {
    List<ObjectNode> events = new java.util.ArrayList<>(TestEvents.quickstart());
    ObjectNode again = events.get(0).deepCopy();
    again.put("event_id", "ev-again");
    events.add(again);
    assertThat(ingest.submit(TestEvents.ndjson(events), NDJSON, "acme"))
        .isInstanceOfSatisfying(
            IngestResult.Invalid.class,
            r -> {
              assertThat(r.problems())
                  .singleElement()
                  .satisfies(
                      p -> {
                        assertThat(p.index()).isEqualTo(6);
                        assertThat(p.field()).isEqualTo("token.token_id");
                        assertThat(p.reason()).contains("already defined by event 0");
                      });
            });
    ObjectNode otherTenant = events.get(0).deepCopy();
    otherTenant.put("event_id", "ev-globex").put("tenant", "globex");
    assertThat(ingest.submit(TestEvents.ndjson(List.of(events.get(0), otherTenant)), NDJSON, "*"))
        .as("the same token id in another tenant is another token")
        .isEqualTo(new IngestResult.Accepted(2));
  }

  @Test
  void invalidWinsOverForbidden() {
    List<ObjectNode> events = TestEvents.quickstart();
    events.get(0).put("tenant", "globex");
    events.get(1).remove("type");
    assertThat(ingest.submit(TestEvents.ndjson(events), NDJSON, "acme"))
        .isInstanceOf(IngestResult.Invalid.class);
  }

  @Test
  void aFailedPublishIsUnavailable() {
    publisher.answer =
        CompletableFuture.failedFuture(
            new org.apache.kafka.common.errors.TimeoutException("no broker"));
    assertThat(submit(Examples.quickstartNdjson(), NDJSON))
        .isInstanceOfSatisfying(
            IngestResult.Unavailable.class, r -> assertThat(r.message()).contains("no broker"));
  }

  @Test
  void aPublishThatNeverAnswersTimesOut() {
    publisher.answer = new CompletableFuture<>();
    assertThat(submit(Examples.quickstartNdjson(), NDJSON))
        .isInstanceOf(IngestResult.Unavailable.class);
  }

  @Test
  void metersCountBatchesByResultAndAcceptedEvents() {
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    ingest.bindTo(registry);
    submit(Examples.quickstartNdjson(), NDJSON);
    submit(Examples.quickstartNdjson(), NDJSON);
    submit("[]", NDJSON);
    submit("[]", "text/plain");
    assertThat(registry.get("ledger.ingest.batches").tag("result", "accepted").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("ledger.ingest.batches").tag("result", "invalid").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("ledger.ingest.batches")
                .tag("result", "unsupported_media_type")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get("ledger.ingest.events").counter().count()).isEqualTo(12);
    assertThat(registry.get("ledger.ingest.publish").timer().count()).isEqualTo(2);
  }

  @Test
  void closeClosesThePublisher() {
    ingest.close();
    assertThat(publisher.closed).isTrue();
  }
}
