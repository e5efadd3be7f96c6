package dev.ledger.streams;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Driver;
import dev.ledger.streams.testing.Events;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of issue 4 on TopologyTestDriver, through the same topology builder as the
 * application.
 */
class LedgerTopologyTest {

  private static final String T = "acme";
  private static final String API = "https://api.example";
  private static final Instant LATER = Driver.WALL.plus(Duration.ofDays(1));

  private static LedgerEvent root(String id, Instant expires, Long maxUses) {
    return Events.issued(
        T,
        "ev-" + id,
        id,
        "user:dana",
        "agent:" + id,
        List.of(API, "https://other.example"),
        List.of("read", "write"),
        expires,
        maxUses,
        T0);
  }

  private static LedgerEvent child(String id, String parent) {
    return Events.attenuated(T, "ev-" + id, id, parent, "agent:" + id, T0.plusSeconds(1));
  }

  private static LedgerEvent use(String eventId, String token, String actor, Instant at) {
    return Events.used(T, eventId, token, API, actor, Outcome.allowed, at);
  }

  @Test
  void chainCarriesRootPrincipalDepthAndInheritedRights() {
    try (Driver d = new Driver()) {
      d.send(
          root("r", LATER, 10L),
          Events.exchanged(
              T,
              "ev-a",
              "a",
              "r",
              "agent:a",
              List.of(API),
              List.of("read"),
              LATER.minusSeconds(60),
              null,
              T0),
          child("b", "a"),
          child("c", "b"));
      TokenNode c = d.token(T, "c");
      assertThat(c.getStatus()).isEqualTo(TokenStatus.active);
      assertThat(c.getRootId()).isEqualTo("r");
      assertThat(c.getParentId()).isEqualTo("b");
      assertThat(c.getDepth()).isEqualTo(3);
      assertThat(c.getPrincipal()).isEqualTo("user:dana");
      assertThat(c.getChain())
          .extracting(h -> h.getTokenId() + "/" + h.getVia())
          .containsExactly("r/issued", "a/exchanged", "b/attenuated", "c/attenuated");
      assertThat(c.getScopes()).containsExactly("read");
      assertThat(c.getAudience()).containsExactly(API);
      assertThat(c.getExpiresAt()).isEqualTo(LATER.minusSeconds(60));
      assertThat(c.getMaxUses()).isEqualTo(10L);
      assertThat(c.getViolations()).isEmpty();
      assertThat(d.audit)
          .hasSize(4)
          .allSatisfy(a -> assertThat(a.getPrincipal()).isEqualTo("user:dana"));
    }
  }

  @Test
  void childrenOfUnknownParentsArePendingAndResolveWhenTheRootArrives() {
    try (Driver d = new Driver()) {
      d.send(child("d", "c"), child("c", "b"), child("b", "a"));
      assertThat(d.token(T, "d").getStatus()).isEqualTo(TokenStatus.pending);
      assertThat(d.token(T, "d").getRootId()).isNull();
      assertThat(d.audit).as("audit waits for the chain").isEmpty();
      d.send(
          Events.exchanged(
              T, "ev-a", "a", "r", "agent:a", List.of(API), List.of("read"), null, null, T0));
      assertThat(d.token(T, "d").getStatus()).isEqualTo(TokenStatus.pending);
      d.send(root("r", LATER, null));
      for (String id : List.of("a", "b", "c", "d")) {
        assertThat(d.token(T, id).getStatus()).as(id).isEqualTo(TokenStatus.active);
        assertThat(d.token(T, id).getRootId()).as(id).isEqualTo("r");
      }
      assertThat(d.token(T, "d").getDepth()).isEqualTo(4);
      assertThat(d.audit).hasSize(5);
    }
  }

  @Test
  void narrowingViolationsAreRecordedAndAlerted() {
    try (Driver d = new Driver(Driver.settings().depthLimit(2).build())) {
      d.send(
          root("r", LATER, null),
          Events.exchanged(
              T,
              "ev-x",
              "x",
              "r",
              "agent:x",
              List.of(API, "https://evil.example"),
              List.of("read", "admin"),
              LATER.plusSeconds(60),
              null,
              T0),
          child("y", "x"),
          child("z", "y"));
      TokenNode x = d.token(T, "x");
      assertThat(x.getScopes()).as("recorded as reported").containsExactly("read", "admin");
      assertThat(x.getViolations())
          .containsExactly(ViolationKind.escalation, ViolationKind.lifetime_extension);
      assertThat(d.token(T, "y").getViolations()).as("inherits, narrows nothing further").isEmpty();
      assertThat(d.token(T, "z").getViolations()).containsExactly(ViolationKind.depth_limit);
      assertThat(d.alerts)
          .extracting(Alert::getAlertId)
          .containsExactlyInAnyOrder(
              "ev-x/x/escalation", "ev-x/x/lifetime_extension", "ev-z/z/depth_limit");
      assertThat(d.auditOf("ev-x").getFirst().getViolations())
          .containsExactly(ViolationKind.escalation, ViolationKind.lifetime_extension);
    }
  }

  @Test
  void cyclesAreRefusedWithoutLooping() {
    try (Driver d = new Driver()) {
      d.send(child("a", "b"), child("b", "a"), child("c", "a"));
      assertThat(d.alerts).extracting(Alert::getKind).containsOnly(ViolationKind.cycle);
      assertThat(d.alerts).extracting(Alert::getTokenId).containsAnyOf("a", "b");
      assertThat(d.token(T, "c").getStatus()).isEqualTo(TokenStatus.pending);
      int records = d.tokenHistory.size();
      d.send(root("r", LATER, null));
      assertThat(d.tokenHistory.size()).as("nothing else moves").isEqualTo(records + 1);
    }
  }

  @Test
  void aTokenNamedAsItsOwnParentGoesToTheDlqAsAtPostEvents() {
    try (Driver d = new Driver()) {
      d.send(child("s", "s"));
      assertThat(d.dlq).hasSize(1);
      assertThat(header(d.dlq.get(0), Topics.DLQ_HEADER_REASON)).isEqualTo("invalid_field");
      assertThat(header(d.dlq.get(0), Topics.DLQ_HEADER_MESSAGE))
          .contains("token.parent_token_id", "its own parent");
      assertThat(d.tokens).isEmpty();
      assertThat(d.audit).isEmpty();
    }
  }

  @Test
  void revocationCascadesToEveryDescendantIncludingLateOnes() {
    try (Driver d = new Driver()) {
      d.send(
          root("r", LATER, null),
          child("a", "r"),
          child("b", "a"),
          child("b2", "a"),
          child("c", "b"));
      d.send(Events.revoked(T, "rev-a", "a", T0.plusSeconds(30)));
      for (String id : List.of("a", "b", "b2", "c")) {
        TokenNode n = d.token(T, id);
        assertThat(n.getStatus()).as(id).isEqualTo(TokenStatus.revoked);
        assertThat(n.getRevocationCause()).as(id).isEqualTo("a");
        assertThat(n.getRevokedAt()).as(id).isEqualTo(T0.plusSeconds(30));
        assertThat(d.revocations.get(T + "/" + id).getEventId()).as(id).isEqualTo("rev-a");
      }
      assertThat(d.token(T, "r").getStatus()).isEqualTo(TokenStatus.active);
      assertThat(d.revocations).doesNotContainKey(T + "/r");
      d.send(child("late", "c"));
      assertThat(d.token(T, "late").getStatus()).as("born revoked").isEqualTo(TokenStatus.revoked);
      assertThat(d.revocations.get(T + "/late").getRevocationCause()).isEqualTo("a");
      assertThat(d.revocations.get(T + "/late").getDepth()).isEqualTo(4);
      int notices = d.revocationHistory.size();
      d.send(
          Events.revoked(T, "rev-a-again", "a", T0.plusSeconds(40)),
          Events.revoked(T, "rev-b", "b", T0.plusSeconds(50)));
      assertThat(d.revocationHistory).as("revoking again changes nothing").hasSize(notices);
      assertThat(d.auditOf("rev-a-again")).hasSize(1);
      d.send(Events.revoked(T, "rev-r", "r", T0.plusSeconds(10)));
      assertThat(d.token(T, "c").getRevocationCause())
          .as("the earliest revocation wins")
          .isEqualTo("r");
      assertThat(d.token(T, "c").getRevokedAt()).isEqualTo(T0.plusSeconds(10));
    }
  }

  @Test
  void revocationOfAnUnseenTokenIsKeptAndAppliedWhenItArrives() {
    try (Driver d = new Driver()) {
      d.send(Events.revoked(T, "rev-x", "x", T0.plusSeconds(5)));
      d.advance(Duration.ofMinutes(6));
      assertThat(d.auditOf("rev-x"))
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.getChain()).isEmpty();
                assertThat(a.getViolations()).isEmpty();
              });
      d.send(root("r", LATER, null), child("x", "r"), child("y", "x"));
      assertThat(d.token(T, "x").getStatus()).isEqualTo(TokenStatus.revoked);
      assertThat(d.token(T, "y").getRevocationCause()).isEqualTo("x");
      assertThat(d.revocations).containsKeys(T + "/x", T + "/y");
      assertThat(d.auditOf("rev-x")).as("audited once").hasSize(1);
    }
  }

  @Test
  void revokedTokensBecomeTombstonesOnceExpiredAndExpiredTokensAreReEmitted() {
    Instant soon = Driver.WALL.plusSeconds(30);
    try (Driver d = new Driver()) {
      d.send(root("r", soon, null), child("a", "r"), root("q", soon, null));
      d.send(Events.revoked(T, "rev-a", "a", T0.plusSeconds(5)));
      assertThat(d.revocations.get(T + "/a")).isNotNull();
      d.advance(Duration.ofSeconds(31));
      assertThat(d.revocations).containsEntry(T + "/a", null);
      assertThat(d.token(T, "q").getStatus()).isEqualTo(TokenStatus.expired);
      assertThat(d.token(T, "a").getStatus())
          .as("revoked beats expired")
          .isEqualTo(TokenStatus.revoked);
    }
  }

  @Test
  void usesAreJudgedByEventTime() {
    try (Driver d = new Driver()) {
      d.send(root("r", T0.plusSeconds(3600), 3L), child("a", "r"), child("b", "r"));
      d.send(
          use("u1", "a", "agent:a", T0.plusSeconds(10)),
          use("u2", "a", "agent:mallory", T0.plusSeconds(11)),
          Events.used(
              T,
              "u3",
              "a",
              "https://elsewhere.example",
              "agent:a",
              Outcome.allowed,
              T0.plusSeconds(12)),
          use("u4", "b", "agent:b", T0.plusSeconds(13)),
          use("u5", "b", "agent:b", T0.plusSeconds(7200)),
          Events.used(
              T,
              "u6",
              "b",
              "https://elsewhere.example",
              "agent:x",
              Outcome.denied,
              T0.plusSeconds(7300)));
      assertThat(d.auditOf("u1").getFirst().getViolations()).isEmpty();
      assertThat(d.auditOf("u2").getFirst().getViolations())
          .containsExactly(ViolationKind.holder_mismatch);
      assertThat(d.auditOf("u3").getFirst().getViolations())
          .containsExactly(ViolationKind.audience_mismatch);
      assertThat(d.auditOf("u4").getFirst().getViolations())
          .containsExactly(ViolationKind.usage_limit_exceeded);
      assertThat(d.auditOf("u5").getFirst().getViolations())
          .containsExactly(ViolationKind.use_after_expiry, ViolationKind.usage_limit_exceeded);
      assertThat(d.auditOf("u6").getFirst().getViolations())
          .as("denied uses are not judged")
          .isEmpty();
      assertThat(d.token(T, "r").getUses())
          .as("uses is emitted coalesced, by the next flush")
          .isZero();
      d.flushUses();
      assertThat(d.token(T, "r").getUses()).isEqualTo(5);
      assertThat(d.token(T, "a").getUses()).isEqualTo(3);
      assertThat(d.token(T, "a").getViolations())
          .containsExactly(ViolationKind.audience_mismatch, ViolationKind.holder_mismatch);
      assertThat(d.auditOf("u2").getFirst().getActor()).isEqualTo("agent:mallory");
    }
  }

  @Test
  void aLateRevocationReJudgesUsesThatHappenedAfterIt() {
    try (Driver d = new Driver()) {
      d.send(root("r", LATER, null), child("a", "r"));
      d.send(
          use("before", "a", "agent:a", T0.plusSeconds(10)),
          use("after", "a", "agent:a", T0.plusSeconds(30)));
      assertThat(d.token(T, "a").getViolations()).isEmpty();
      d.send(Events.revoked(T, "rev-r", "r", T0.plusSeconds(20)));
      assertThat(d.token(T, "a").getViolations())
          .containsExactly(ViolationKind.use_after_revocation);
      assertThat(d.alertsOf("a"))
          .extracting(Alert::getAlertId)
          .containsExactly("after/a/use_after_revocation");
      assertThat(d.auditOf("after")).as("not re-emitted").hasSize(1);
      d.send(use("late-but-before", "a", "agent:a", T0.plusSeconds(15)));
      assertThat(d.auditOf("late-but-before").getFirst().getViolations()).isEmpty();
    }
  }

  @Test
  void unknownTokensAreJudgedAfterTheGrace() {
    try (Driver d =
        new Driver(Driver.settings().unknownTokenGrace(Duration.ofMinutes(2)).build())) {
      d.send(use("u-ghost", "ghost", "agent:g", T0), use("u-late", "late", "agent:late", T0));
      d.advance(Duration.ofMinutes(1));
      d.send(root("late", LATER, null));
      assertThat(d.audit).extracting(AuditRecord::getEventId).containsExactly("ev-late", "u-late");
      d.advance(Duration.ofMinutes(2));
      assertThat(d.auditOf("u-ghost"))
          .singleElement()
          .satisfies(
              a -> assertThat(a.getViolations()).containsExactly(ViolationKind.unknown_token));
      assertThat(d.alertsOf("ghost"))
          .extracting(Alert::getAlertId)
          .containsExactly("u-ghost/ghost/unknown_token");
      assertThat(d.auditOf("u-late").getFirst().getViolations()).isEmpty();
      d.advance(Duration.ofMinutes(10));
      assertThat(d.auditOf("u-ghost")).hasSize(1);
    }
  }

  @Test
  void anOrphanIsAuditedAfterTheGraceAndOnlyOnceWhenItsChainCompletesLater() {
    try (Driver d =
        new Driver(Driver.settings().unknownTokenGrace(Duration.ofMinutes(2)).build())) {
      d.send(child("b", "a"), child("c", "b"), use("u-c", "c", "agent:c", T0.plusSeconds(5)));
      assertThat(d.audit).as("within the grace: waiting for the chain").isEmpty();
      d.advance(Duration.ofMinutes(3));
      assertThat(d.audit)
          .extracting(AuditRecord::getEventId)
          .containsExactlyInAnyOrder("ev-b", "ev-c", "u-c");
      assertThat(d.auditOf("ev-c").getFirst().getChain()).as("audited without a chain").isEmpty();
      assertThat(d.token(T, "c").getStatus()).isEqualTo(TokenStatus.pending);

      d.send(root("r", LATER, null), child("a", "r")).flushUses();
      assertThat(d.token(T, "c").getStatus()).isEqualTo(TokenStatus.active);
      assertThat(d.token(T, "c").getUses()).as("the waiting use still counts").isEqualTo(1);
      assertThat(d.audit)
          .extracting(AuditRecord::getEventId)
          .as("one audit record per event, ever")
          .containsExactlyInAnyOrder("ev-b", "ev-c", "u-c", "ev-r", "ev-a");
      d.advance(Duration.ofMinutes(10));
      assertThat(d.audit).hasSize(5);
    }
  }

  @Test
  void duplicateEventIdsChangeNothing() {
    try (Driver d = new Driver()) {
      List<LedgerEvent> events = Events.quickstart();
      d.send(events);
      int audits = d.audit.size();
      int tokens = d.tokenHistory.size();
      int alerts = d.alerts.size();
      d.send(events);
      assertThat(d.audit).hasSize(audits);
      assertThat(d.tokenHistory).hasSize(tokens);
      assertThat(d.alerts).hasSize(alerts);
      assertThat(d.dlq).isEmpty();
    }
  }

  /**
   * A repeat of a use changes nothing whatever its outcome says (CONTRACT.md, event identity), also
   * after a bounded dedupe retention has forgotten it: an allowed use of a resolved token is
   * dropped by the tree processor's stored uses, which keep it for good.
   */
  @Test
  void aRepeatOfAUseChangesNothingWhateverItsOutcomeOrTheRetention() {
    try (Driver d = new Driver(Driver.settings().dedupeRetention(Duration.ofMinutes(1)).build())) {
      d.send(root("r", LATER, null), child("a", "r"));
      LedgerEvent allowed = use("u1", "a", "agent:a", T0.plusSeconds(5));
      LedgerEvent denied = Events.used(T, "u2", "a", API, "agent:a", Outcome.denied, T0);
      d.send(allowed, denied);
      int audits = d.audit.size();
      d.send(
          Events.used(T, "u1", "a", API, "agent:a", Outcome.denied, T0),
          use("u2", "a", "agent:a", T0.plusSeconds(6)),
          allowed);
      d.advance(Duration.ofMinutes(2)); // past the retention
      d.send(allowed);
      assertThat(d.audit).as("no repeat audited").hasSize(audits);
      d.flushUses();
      assertThat(d.token(T, "a").getUses()).as("the one allowed use, once").isEqualTo(1);
      assertThat(d.token(T, "r").getUses()).isEqualTo(1);
      assertThat(d.alerts).isEmpty();
    }
  }

  /**
   * An event's identity is (tenant, token, event id), CONTRACT.md v1.10: one event id on two tokens
   * is two events, each audited once, in either arrival order; one (token, event id) twice is one.
   */
  @Test
  void anEventIdOnTwoTokensIsTwoEventsAndOnOneTokenTwiceIsOne() {
    for (boolean reversed : new boolean[] {false, true}) {
      try (Driver d = new Driver()) {
        d.send(root("r", LATER, null), child("a", "r"));
        LedgerEvent onR = use("u-shared", "r", "agent:r", T0.plusSeconds(5));
        LedgerEvent onA = use("u-shared", "a", "agent:a", T0.plusSeconds(6));
        d.send(reversed ? List.of(onA, onR) : List.of(onR, onA));
        d.send(onA, onR);
        assertThat(d.audit)
            .filteredOn(r -> r.getEventId().equals("u-shared"))
            .extracting(AuditRecord::getTokenId)
            .as("one audit record per token, the copies changing nothing (reversed: %s)", reversed)
            .containsExactlyInAnyOrder("r", "a");
        d.flushUses();
        assertThat(d.token(T, "a").getUses()).isEqualTo(1);
        assertThat(d.token(T, "r").getUses()).as("its own use and its child's").isEqualTo(2);
        assertThat(d.dlq).isEmpty();
      }
    }
  }

  @Test
  void tenantsNeverMix() {
    try (Driver d = new Driver()) {
      d.send(root("r", LATER, null), child("a", "r"));
      d.send(Events.inTenant(child("a", "r"), "other"));
      d.send(Events.inTenant(Events.revoked(T, "rev-r", "r", T0.plusSeconds(3)), "other"));
      assertThat(d.token("other", "a").getStatus()).isEqualTo(TokenStatus.pending);
      assertThat(d.token(T, "a").getStatus()).isEqualTo(TokenStatus.active);
      assertThat(d.revocations).isEmpty();
    }
  }

  @Test
  void badInputGoesToTheDlqAndProcessingGoesOn() {
    try (Driver d = new Driver()) {
      byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
      d.sendRaw("acme/x".getBytes(StandardCharsets.UTF_8), garbage);
      LedgerEvent noBody =
          LedgerEvent.newBuilder(root("r", LATER, null)).setToken(null).setEventId("").build();
      byte[] noBodyBytes = Topics.EVENTS.valueSerde().serializer().serialize("t", noBody);
      d.sendRaw("acme/r".getBytes(StandardCharsets.UTF_8), noBodyBytes);
      d.send(LedgerEvent.newBuilder(root("r", LATER, null)).setTenant("acme").build());
      d.sendRaw(
          "wrong/key".getBytes(StandardCharsets.UTF_8),
          Topics.EVENTS.valueSerde().serializer().serialize("t", root("k", LATER, null)));
      d.send(
          Events.exchanged(
              T, "ev-r-again", "r", "x", "agent:x", List.of(API), List.of("read"), null, null, T0));
      assertThat(d.token(T, "r").getStatus()).isEqualTo(TokenStatus.active);
      assertThat(d.dlq).hasSize(4);
      assertThat(header(d.dlq.get(0), Topics.DLQ_HEADER_REASON)).isEqualTo("undecodable");
      assertThat(d.dlq.get(0).value()).isEqualTo(garbage);
      assertThat(header(d.dlq.get(0), "__streams.errors.exception"))
          .as("Kafka Streams' own DLQ headers too")
          .isNotNull();
      assertThat(header(d.dlq.get(1), Topics.DLQ_HEADER_REASON))
          .isEqualTo("invalid_field,missing_body");
      assertThat(header(d.dlq.get(1), Topics.DLQ_HEADER_MESSAGE)).contains("event_id", "token");
      assertThat(header(d.dlq.get(1), Topics.DLQ_HEADER_ORIGIN)).startsWith("ledger.events/0@");
      assertThat(d.dlq.get(1).value()).isEqualTo(noBodyBytes);
      assertThat(header(d.dlq.get(2), Topics.DLQ_HEADER_REASON)).isEqualTo("key_mismatch");
      assertThat(header(d.dlq.get(3), Topics.DLQ_HEADER_REASON)).isEqualTo("duplicate_token");
    }
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
