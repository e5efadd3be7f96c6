package dev.ledger.streams;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.streams.testing.Driver;
import dev.ledger.streams.testing.Events;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Record time (CONTRACT.md section 1, v1.8): the time the ledger accepted an event is stamped once
 * and travels with it, so every audit record and token node carries that time, whatever path the
 * event took through the stages and however often it is processed again.
 */
class RecordTimeTest {

  private static final String T = "acme";
  private static final String API = "https://api.example";
  private static final Instant ACCEPTED = Instant.parse("2026-11-20T10:00:00Z");

  private static LedgerEvent root() {
    return Events.issued(
        T, "ev-r", "r", "user:dana", "agent:r", List.of(API), List.of("read"), null, null, T0);
  }

  private static LedgerEvent child() {
    return Events.attenuated(T, "ev-c", "c", "r", "agent:c", T0.plusSeconds(1));
  }

  private static LedgerEvent stamped(LedgerEvent event, Instant receivedAt) {
    return LedgerEvent.newBuilder(event).setReceivedAt(receivedAt).build();
  }

  private static Instant recorded(Driver d, String eventId) {
    List<AuditRecord> records = d.auditOf(eventId);
    assertThat(records).as(eventId).hasSize(1);
    return records.getFirst().getRecordedAt();
  }

  @Test
  void anEventStampedAtIngestKeepsThatTimeOnItsAuditRecordAndTokenNode() {
    try (Driver d = new Driver()) {
      // Record timestamps far from received_at: the stamp wins, the Kafka timestamp is only a
      // fallback.
      d.sendAt(ACCEPTED.plusSeconds(3600), stamped(root(), ACCEPTED));
      d.sendAt(
          ACCEPTED.plusSeconds(3600),
          stamped(
              Events.used(T, "ev-u", "r", API, null, Outcome.allowed, T0.plusSeconds(2)),
              ACCEPTED.plusSeconds(2)));

      assertThat(recorded(d, "ev-r")).isEqualTo(ACCEPTED);
      assertThat(recorded(d, "ev-u")).isEqualTo(ACCEPTED.plusSeconds(2));
      assertThat(d.token(T, "r").getRecordedAt()).isEqualTo(ACCEPTED);
    }
  }

  @Test
  void anEventWrittenStraightToKafkaIsRecordedAtItsRecordsTimestampEvenWhenItWaitedForItsParent() {
    Instant childWritten = ACCEPTED;
    Instant rootWritten = ACCEPTED.plusSeconds(90);
    try (Driver d = new Driver()) {
      d.sendAt(childWritten, child());
      d.sendAt(rootWritten, root());

      // The child waited 90 s for its parent: its record time is still when it came, not when it
      // resolved.
      assertThat(recorded(d, "ev-c")).isEqualTo(childWritten);
      assertThat(recorded(d, "ev-r")).isEqualTo(rootWritten);
      assertThat(d.token(T, "c").getRecordedAt()).isEqualTo(childWritten);
      assertThat(d.token(T, "c").getIssuedAt()).isEqualTo(T0.plusSeconds(1));
    }
  }

  @Test
  void processingTheSameRecordsAgainGivesTheSameRecordTimes() {
    List<AuditRecord> first;
    try (Driver d = new Driver()) {
      d.sendAt(ACCEPTED, child());
      d.sendAt(ACCEPTED.plusSeconds(5), root());
      d.sendAt(ACCEPTED.plusSeconds(9), Events.revoked(T, "ev-x", "r", T0.plusSeconds(3)));
      first = d.audit;
    }
    // A new application (empty state) reading the retained topic again, later on the wall clock.
    try (Driver again = new Driver()) {
      again.advance(java.time.Duration.ofHours(5));
      again.sendAt(ACCEPTED, child());
      again.sendAt(ACCEPTED.plusSeconds(5), root());
      again.sendAt(ACCEPTED.plusSeconds(9), Events.revoked(T, "ev-x", "r", T0.plusSeconds(3)));
      assertThat(again.audit)
          .extracting(AuditRecord::getEventId, AuditRecord::getRecordedAt)
          .containsExactlyInAnyOrderElementsOf(
              first.stream()
                  .map(a -> org.assertj.core.groups.Tuple.tuple(a.getEventId(), a.getRecordedAt()))
                  .toList());
      assertThat(recorded(again, "ev-x")).isEqualTo(ACCEPTED.plusSeconds(9));
    }
  }
}
