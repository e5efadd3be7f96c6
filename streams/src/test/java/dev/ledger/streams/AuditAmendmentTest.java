package dev.ledger.streams;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.testing.Driver;
import dev.ledger.streams.testing.Events;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's scenario: a verdict that an earlier event arriving later changes is recorded as an
 * amendment of the use's audit record (on ledger.audit, after the original, {@code amends} set),
 * never as a second audit record, so the flagged uses are the same in every arrival order.
 */
class AuditAmendmentTest {

  /**
   * t2 (max_uses 2) used at :20, :21, :22; its child t3 at :23 and :25; its grandchild t4 at :40.
   */
  static List<LedgerEvent> budgetScenario(String tenant) {
    return List.of(
        Events.issued(
            tenant,
            "ev-t1",
            "t1",
            "user:dana",
            "agent:planner",
            List.of("api"),
            List.of("read"),
            null,
            null,
            T0),
        Events.exchanged(
            tenant,
            "ev-t2",
            "t2",
            "t1",
            "agent:searcher",
            List.of("api"),
            List.of("read"),
            null,
            2L,
            T0.plusSeconds(1)),
        Events.attenuated(tenant, "ev-t3", "t3", "t2", "agent:scraper", T0.plusSeconds(2)),
        Events.attenuated(tenant, "ev-t4", "t4", "t3", "agent:fetcher", T0.plusSeconds(3)),
        Events.used(tenant, "u1", "t2", "api", null, Outcome.allowed, T0.plusSeconds(20)),
        Events.used(tenant, "u2", "t2", "api", null, Outcome.allowed, T0.plusSeconds(21)),
        Events.used(tenant, "u3", "t2", "api", null, Outcome.allowed, T0.plusSeconds(22)),
        Events.used(tenant, "u4", "t3", "api", null, Outcome.allowed, T0.plusSeconds(23)),
        Events.used(tenant, "u5", "t3", "api", null, Outcome.allowed, T0.plusSeconds(25)),
        Events.used(tenant, "u6", "t4", "api", null, Outcome.allowed, T0.plusSeconds(40)));
  }

  @Test
  void theThirdUseByEventTimeAndEveryLaterOneExceedTheBudgetInEveryOrder() {
    try (Driver driver = new Driver()) {
      List<LedgerEvent> inOrder = budgetScenario("in-order");
      List<LedgerEvent> latestFirst = new ArrayList<>(budgetScenario("latest-first"));
      Collections.reverse(
          latestFirst.subList(4, latestFirst.size())); // tokens first, then u6 .. u1
      List<LedgerEvent> reversed = new ArrayList<>(budgetScenario("reversed"));
      Collections.reverse(reversed);
      driver.send(inOrder).send(latestFirst).send(reversed).flushUses();

      for (String tenant : List.of("in-order", "latest-first", "reversed")) {
        assertThat(flagged(driver, tenant, ViolationKind.usage_limit_exceeded))
            .as(tenant)
            .containsExactly("u3", "u4", "u5", "u6");
        assertThat(
                driver.audit.stream()
                    .filter(a -> a.getTenant().equals(tenant))
                    .map(AuditRecord::getEventId))
            .as(tenant + ": one audit record per event")
            .doesNotHaveDuplicates()
            .hasSize(10);
        assertThat(driver.token(tenant, "t2").getViolations())
            .containsExactly(ViolationKind.usage_limit_exceeded);
        assertThat(
                driver.alerts.stream()
                    .filter(a -> a.getTenant().equals(tenant))
                    .map(a -> a.getEventId()))
            .as(tenant + ": an alert for each flagged use, none for the others")
            .containsExactlyInAnyOrder("u3", "u4", "u5", "u6");
      }
      assertThat(driver.amendments.stream().filter(a -> a.getTenant().equals("in-order")))
          .as("nothing re-judged")
          .isEmpty();
      List<AuditRecord> amended =
          driver.amendments.stream().filter(a -> a.getTenant().equals("latest-first")).toList();
      // u6, u5, u4 arrived first within the budget; then each earlier use pushed the use ranked
      // third out of it: u4 pushed u6, u3 u5, u2 u4, u1 u3.
      assertThat(amended)
          .extracting(AuditRecord::getEventId)
          .containsExactly("u6", "u5", "u4", "u3");
      assertThat(amended)
          .extracting(a -> a.getAmends().getCauseEventId())
          .containsExactly("u4", "u3", "u2", "u1");
      assertThat(amended)
          .allSatisfy(
              a -> {
                assertThat(a.getAmends().getAdded())
                    .containsExactly(ViolationKind.usage_limit_exceeded);
                assertThat(a.getAmends().getRemoved()).isEmpty();
                assertThat(a.getViolations()).containsExactly(ViolationKind.usage_limit_exceeded);
                assertThat(a.getAmends().getCauseTokenId()).isIn("t2", "t3");
                assertThat(a.getAmends().getAmendedAt()).isNotNull().isEqualTo(a.getRecordedAt());
                assertThat(a.getChain()).extracting(h -> h.getTokenId()).startsWith("t1", "t2");
              });
    }
  }

  @Test
  void aLateRevocationAmendsTheUsesAfterItAndNamesItselfTheCause() {
    try (Driver driver = new Driver()) {
      driver.send(
          Events.issued(
              "x",
              "ev-r1",
              "r1",
              "user:dana",
              "agent:a",
              List.of("api"),
              List.of("read"),
              null,
              null,
              T0),
          Events.attenuated("x", "ev-r2", "r2", "r1", null, T0.plusSeconds(1)),
          Events.used("x", "before", "r2", "api", null, Outcome.allowed, T0.plusSeconds(5)),
          Events.used("x", "after", "r2", "api", null, Outcome.allowed, T0.plusSeconds(30)),
          Events.revoked("x", "rev", "r1", T0.plusSeconds(10)));
      driver.flushUses();

      assertThat(driver.auditOf("after"))
          .singleElement()
          .satisfies(a -> assertThat(a.getViolations()).as("as first recorded").isEmpty());
      assertThat(driver.amendments)
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.getEventId()).isEqualTo("after");
                assertThat(a.getAmends().getAdded())
                    .containsExactly(ViolationKind.use_after_revocation);
                assertThat(a.getAmends().getCauseEventId()).isEqualTo("rev");
                assertThat(a.getAmends().getCauseTokenId()).isEqualTo("r1");
              });
      assertThat(driver.alerts)
          .extracting(a -> a.getEventId() + "/" + a.getKind())
          .containsExactly("after/use_after_revocation");
    }
  }

  @Test
  void anOrphanAuditedWithoutAChainGetsItsVerdictAsAnAmendmentWhenItsParentArrives() {
    try (Driver driver = new Driver()) {
      driver.send(
          Events.exchanged(
              "x",
              "ev-c",
              "c",
              "p",
              "agent:c",
              List.of("api"),
              List.of("read", "write"),
              null,
              null,
              T0.plusSeconds(1)),
          Events.used(
              "x", "use-c", "c", "elsewhere", "agent:c", Outcome.allowed, T0.plusSeconds(5)));
      driver.advance(driver.settings.unknownTokenGrace().plusSeconds(2));
      assertThat(driver.auditOf("ev-c"))
          .singleElement()
          .satisfies(
              a -> assertThat(a.getViolations()).as("an orphan: no chain, no verdict").isEmpty());
      assertThat(driver.auditOf("use-c"))
          .singleElement()
          .satisfies(a -> assertThat(a.getChain()).as("audited without a chain").isEmpty());
      assertThat(driver.amendments).isEmpty();

      driver.send(
          Events.issued(
              "x",
              "ev-p",
              "p",
              "user:dana",
              "agent:p",
              List.of("api"),
              List.of("read"),
              null,
              null,
              T0));
      assertThat(driver.amendments)
          .extracting(
              a ->
                  a.getEventId()
                      + " "
                      + a.getType()
                      + " "
                      + a.getAmends().getAdded()
                      + " by "
                      + a.getAmends().getCauseEventId())
          .containsExactlyInAnyOrder(
              "ev-c token.exchanged [escalation] by ev-p",
              "use-c token.used [audience_mismatch] by ev-c");
      assertThat(driver.alerts)
          .extracting(a -> a.getEventId() + "/" + a.getKind())
          .containsExactlyInAnyOrder("ev-c/escalation", "use-c/audience_mismatch");
      assertThat(driver.auditOf("ev-c"))
          .as("the record as first written stays the only one")
          .hasSize(1);
    }
  }

  private static Set<String> flagged(Driver driver, String tenant, ViolationKind kind) {
    Set<String> out = new TreeSet<>();
    driver.audit.stream()
        .filter(a -> a.getTenant().equals(tenant) && a.getViolations().contains(kind))
        .forEach(a -> out.add(a.getEventId()));
    driver.amendments.stream()
        .filter(a -> a.getTenant().equals(tenant) && a.getAmends().getAdded().contains(kind))
        .forEach(a -> out.add(a.getEventId()));
    return out;
  }
}
