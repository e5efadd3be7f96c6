package dev.ledger.export.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.export.format.AuditRecordJson;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Realistic audit records for tests: a three-hop chain, every kind of event in turn. */
public final class TestRecords {

  private static final String[] TYPES = {
    "token.issued",
    "token.exchanged",
    "token.attenuated",
    "token.used",
    "token.used",
    "token.revoked"
  };

  private TestRecords() {}

  /** Record number {@code i} of {@code tenant}: deterministic, unique event id. */
  public static AuditRecord avro(String tenant, long i) {
    String type = TYPES[(int) (i % TYPES.length)];
    boolean use = type.equals("token.used");
    return AuditRecord.newBuilder()
        .setEventId("ev-" + tenant + "-" + i)
        .setType(type)
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
        .setResource(use ? "https://api.flights.example" : null)
        .setAction(use ? (i % 2 == 0 ? "GET /fares?route=LHR-JFK" : "POST /bookings") : null)
        .setOutcome(use ? (i % 12 == 3 ? Outcome.denied : Outcome.allowed) : null)
        .setViolations(i % 7 == 4 ? List.of(ViolationKind.use_after_revocation) : List.of())
        .setRootId("tok-root")
        .setParentId("tok-flights")
        .setSource("https://auth.acme.example")
        .setReason(type.equals("token.revoked") ? "agent misbehaving, \"quoted\"" : null)
        .setRequestId(use ? "req-" + i : null)
        .setAttributes(Map.of("agent_model", "planner-7b", "agent_instance_id", "run-" + (i % 10)))
        .setRecordedAt(Instant.parse("2026-11-20T09:00:01Z").plusMillis(i * 1000))
        .build();
  }

  /** The same record in contract JSON. */
  public static ObjectNode json(String tenant, long i) {
    return AuditRecordJson.of(avro(tenant, i));
  }
}
