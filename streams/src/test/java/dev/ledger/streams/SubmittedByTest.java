package dev.ledger.streams;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.streams.testing.Driver;
import dev.ledger.streams.testing.Events;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * "Who reported this": the {@code ledger.submitted_by} header of an event reaches its audit record
 * on every path an event takes through the two stages, and a second definition of a token names
 * both submitters in the DLQ.
 */
class SubmittedByTest {

  private static final String T = "acme";
  private static final String API = "https://api.example";

  private static LedgerEvent root(String eventId, String id) {
    return Events.issued(
        T, eventId, id, "user:dana", "agent:" + id, List.of(API), List.of("read"), null, null, T0);
  }

  private static LedgerEvent child(String id, String parent) {
    return Events.attenuated(T, "ev-" + id, id, parent, "agent:" + id, T0.plusSeconds(1));
  }

  private static String submitter(Driver d, String eventId) {
    List<AuditRecord> records = d.auditOf(eventId);
    assertThat(records).as(eventId).hasSize(1);
    return records.getFirst().getSubmittedBy();
  }

  @Test
  void everyAuditRecordNamesTheCredentialThatSubmittedItsEvent() {
    try (Driver d = new Driver()) {
      // A child before its parent (a pending link), a use parked until its token resolves, then the
      // root.
      d.sendSubmittedBy("key-gateway", child("a", "r"));
      d.sendSubmittedBy(
          "key-rs", Events.used(T, "ev-use-a", "a", API, null, Outcome.allowed, T0.plusSeconds(2)));
      d.sendSubmittedBy("key-as", root("ev-r", "r"));
      // Straight to the tree: the token is resolved already.
      d.sendSubmittedBy(
          "key-rs", Events.used(T, "ev-use-r", "r", API, null, Outcome.allowed, T0.plusSeconds(3)));
      d.sendSubmittedBy("key-admin", Events.revoked(T, "ev-rev", "a", T0.plusSeconds(4)));
      // Written to Kafka directly, without the header.
      d.send(Events.used(T, "ev-direct", "r", API, null, Outcome.denied, T0.plusSeconds(5)));

      assertThat(submitter(d, "ev-a")).isEqualTo("key-gateway");
      assertThat(submitter(d, "ev-use-a")).isEqualTo("key-rs");
      assertThat(submitter(d, "ev-r")).isEqualTo("key-as");
      assertThat(submitter(d, "ev-use-r")).isEqualTo("key-rs");
      assertThat(submitter(d, "ev-rev")).isEqualTo("key-admin");
      assertThat(submitter(d, "ev-direct")).isNull();
    }
  }

  @Test
  void auditRecordsStage1WritesWithoutAChainNameTheirSubmitterToo() {
    try (Driver d = new Driver()) {
      d.sendSubmittedBy("key-orphan", child("o", "never-seen"));
      d.sendSubmittedBy(
          "key-rs", Events.used(T, "ev-unknown", "ghost", API, null, Outcome.allowed, T0));
      d.advance(d.settings.unknownTokenGrace().plus(Duration.ofSeconds(2)));

      assertThat(submitter(d, "ev-o")).isEqualTo("key-orphan");
      assertThat(submitter(d, "ev-unknown")).isEqualTo("key-rs");
    }
  }

  @Test
  void aSecondDefinitionOfATokenGoesToTheDlqNamingBothSubmitters() {
    try (Driver d = new Driver()) {
      d.sendSubmittedBy("key-first", root("ev-1", "r"));
      d.sendSubmittedBy("key-squatter", root("ev-2", "r"));
      d.send(root("ev-3", "r"));

      assertThat(d.dlq).hasSize(2);
      TestRecord<byte[], byte[]> squatted = d.dlq.get(0);
      assertThat(header(squatted, Topics.DLQ_HEADER_REASON)).isEqualTo("duplicate_token");
      assertThat(header(squatted, Topics.DLQ_HEADER_MESSAGE))
          .contains("submitted by key-first", "this one was submitted by key-squatter");
      assertThat(header(squatted, Topics.EVENTS_HEADER_SUBMITTED_BY)).isEqualTo("key-squatter");
      assertThat(header(d.dlq.get(1), Topics.DLQ_HEADER_MESSAGE))
          .contains(
              "submitted by key-first",
              "this one was submitted by unknown: written to Kafka directly");
      assertThat(header(d.dlq.get(1), Topics.EVENTS_HEADER_SUBMITTED_BY)).isNull();
      assertThat(submitter(d, "ev-1")).isEqualTo("key-first");
    }
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
