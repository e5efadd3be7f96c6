package dev.ledger.api;

import dev.ledger.export.log.IntegrityLog;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Audit records for the export tests, and a way to write them into an integrity log with known
 * commit times.
 */
public final class AuditLogs {
  private AuditLogs() {}

  /**
   * Record number {@code i} of {@code tenant}: a use of the third hop of a delegation chain, unique
   * event id.
   */
  static AuditRecord record(String tenant, long i) {
    boolean denied = i % 7 == 4;
    return AuditRecord.newBuilder()
        .setEventId("ev-" + tenant + "-" + i)
        .setType("token.used")
        .setOccurredAt(Instant.parse("2026-11-20T09:00:00Z").plusMillis(i * 1000))
        .setTenant(tenant)
        .setTokenId("tok-" + (i / 6))
        .setPrincipal("user:dana")
        .setActor("agent:fare-scraper")
        .setChain(
            List.of(
                new Hop("tok-root", "agent:travel-planner", Via.issued),
                new Hop("tok-flights", "agent:flight-searcher", Via.exchanged),
                new Hop("tok-" + (i / 6), "agent:fare-scraper", Via.attenuated)))
        .setResource("https://api.flights.example")
        .setAction(i % 2 == 0 ? "GET /fares?route=LHR-JFK" : "POST /bookings")
        .setOutcome(denied ? Outcome.denied : Outcome.allowed)
        .setViolations(denied ? List.of(ViolationKind.use_after_revocation) : List.of())
        .setAttributes(Map.of("agent_model", "planner-7b", "run", "run-" + (i % 10)))
        .build();
  }

  /** Appends records {@code [from, to)} of {@code tenant} and commits them (no checkpoint yet). */
  static void append(IntegrityLog log, String tenant, long from, long to) throws IOException {
    for (long i = from; i < to; i++) {
      log.append(record(tenant, i));
    }
    log.commit(Map.of());
  }

  /**
   * A clock the tests set, so that the commit times that select an export's period (or any other
   * time a test depends on) are known.
   */
  public static final class SettableClock extends Clock {
    private volatile Instant now;

    public SettableClock(Instant now) {
      this.now = now;
    }

    public void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
