package dev.ledger.streams;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.streams.testing.Driver;
import dev.ledger.streams.testing.Events;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Transaction Tokens (contract v1.7): the {@code txn} and {@code acti} a token is defined with are
 * inherited by its descendants and carried onto every audit record of the chain, amendments
 * included, whatever order the events arrive in.
 */
class TransactionIdsTest {

  private static final String T = "acme";
  private static final String API = "https://orders.example";

  private static LedgerEvent root(String txn, String acti) {
    LedgerEvent root =
        Events.issued(
            T,
            "ev-r",
            "r",
            "user:dana",
            "svc:gateway",
            List.of(API),
            List.of("read"),
            null,
            null,
            T0);
    root.getToken().setTxn(txn);
    root.getToken().setActi(acti);
    return root;
  }

  private static List<AuditRecord> everyRecord(Driver d) {
    List<AuditRecord> all = new ArrayList<>(d.audit);
    all.addAll(d.amendments);
    return all;
  }

  @Test
  void everyRecordOfTheChainCarriesTheRootsTransactionInAnyArrivalOrder() {
    try (Driver d = new Driver()) {
      // The grandchild and its use before their ancestors, a revocation before an earlier use.
      d.send(Events.attenuated(T, "ev-b", "b", "a", "svc:payments", T0.plusSeconds(2)));
      d.send(
          Events.used(T, "ev-use-b", "b", API, "svc:payments", Outcome.allowed, T0.plusSeconds(5)));
      d.send(root("txn-97", "wf-7"));
      d.send(
          Events.exchanged(
              T,
              "ev-a",
              "a",
              "r",
              "svc:orders",
              List.of(API),
              List.of("read"),
              null,
              null,
              T0.plusSeconds(1)));
      d.send(Events.revoked(T, "ev-rev", "a", T0.plusSeconds(3)));
      d.send(
          Events.used(T, "ev-use-a", "a", API, "svc:orders", Outcome.allowed, T0.plusSeconds(4)));

      assertThat(d.amendments).as("the late revocation re-judges the use of b").isNotEmpty();
      assertThat(everyRecord(d))
          .hasSizeGreaterThanOrEqualTo(7)
          .allSatisfy(
              a -> {
                assertThat(a.getTxn()).as(a.getEventId()).isEqualTo("txn-97");
                assertThat(a.getActi()).as(a.getEventId()).isEqualTo("wf-7");
              });
      assertThat(d.token(T, "b").getTxn()).isEqualTo("txn-97");
      assertThat(d.token(T, "b").getActi()).isEqualTo("wf-7");
    }
  }

  @Test
  void aHopThatNamesItsOwnTransactionPassesItOnAndATreeWithoutOneHasNone() {
    try (Driver d = new Driver()) {
      d.send(root(null, null));
      LedgerEvent replacement =
          Events.exchanged(
              T,
              "ev-a",
              "a",
              "r",
              "svc:orders",
              List.of(API),
              List.of("read"),
              null,
              null,
              T0.plusSeconds(1));
      replacement.getToken().setTxn("txn-98");
      d.send(replacement);
      d.send(Events.attenuated(T, "ev-b", "b", "a", "svc:payments", T0.plusSeconds(2)));
      d.send(Events.used(T, "ev-use-r", "r", API, null, Outcome.allowed, T0.plusSeconds(3)));

      assertThat(d.auditOf("ev-r").getFirst().getTxn()).isNull();
      assertThat(d.auditOf("ev-use-r").getFirst().getTxn()).isNull();
      assertThat(d.auditOf("ev-a").getFirst().getTxn()).isEqualTo("txn-98");
      assertThat(d.auditOf("ev-b").getFirst().getTxn()).isEqualTo("txn-98");
      assertThat(d.auditOf("ev-b").getFirst().getActi()).isNull();
    }
  }
}
