package dev.ledger.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.streams.testing.Driver;
import dev.ledger.streams.testing.Events;
import dev.ledger.streams.testing.Golden;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract's golden example through the real topology, in every one of the 720 arrival orders.
 */
class QuickstartTest {

  @Test
  void fileOrderMatchesTheContractAnswer() {
    try (Driver driver = new Driver()) {
      driver.send(Events.quickstart()).flushUses();
      Golden.assertMatches(driver.token("acme", "tok-flights-lhr"), "file order");
      assertThat(driver.audit).hasSize(6);
      assertThat(driver.dlq).isEmpty();
    }
  }

  @Test
  void everyPermutationEndsInTheSameAnswer() {
    List<LedgerEvent> events = Events.quickstart();
    List<List<Integer>> orders = new ArrayList<>();
    permutations(new ArrayList<>(List.of(0, 1, 2, 3, 4, 5)), 0, orders);
    assertThat(orders).hasSize(720);
    // Tenants never mix, so one driver holds every permutation, each in its own tenant.
    try (Driver driver = new Driver()) {
      for (int p = 0; p < orders.size(); p++) {
        String tenant = "perm-" + p;
        List<LedgerEvent> batch =
            orders.get(p).stream().map(i -> Events.inTenant(events.get(i), tenant)).toList();
        driver.send(batch);
      }
      driver.flushUses();
      for (int p = 0; p < orders.size(); p++) {
        String tenant = "perm-" + p;
        Golden.assertMatches(driver.token(tenant, "tok-flights-lhr"), "order " + orders.get(p));
        assertThat(driver.audit.stream().filter(a -> a.getTenant().equals(tenant)).count())
            .as("one audit record per event, order " + orders.get(p))
            .isEqualTo(6);
      }
    }
  }

  @Test
  void everyPermutationWithAUsesFlushAfterEveryEventEndsInTheSameAnswer() {
    List<LedgerEvent> events = Events.quickstart();
    List<List<Integer>> orders = new ArrayList<>();
    permutations(new ArrayList<>(List.of(0, 1, 2, 3, 4, 5)), 0, orders);
    try (Driver driver = new Driver()) {
      for (int p = 0; p < orders.size(); p++) {
        String tenant = "perm-" + p;
        for (int i : orders.get(p)) {
          driver.send(Events.inTenant(events.get(i), tenant)).flushUses();
        }
        Golden.assertMatches(
            driver.token(tenant, "tok-flights-lhr"),
            "flushed after each event, order " + orders.get(p));
      }
    }
  }

  private static void permutations(List<Integer> items, int k, List<List<Integer>> out) {
    if (k == items.size()) {
      out.add(List.copyOf(items));
      return;
    }
    for (int i = k; i < items.size(); i++) {
      java.util.Collections.swap(items, k, i);
      permutations(items, k + 1, out);
      java.util.Collections.swap(items, k, i);
    }
  }
}
