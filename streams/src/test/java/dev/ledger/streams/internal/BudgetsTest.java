package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.streams.testing.Events;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The budget rule on its own: an in-memory budgets store, nodes and pending counts in maps. */
class BudgetsTest {

  private final KeyValueStore<String, String> store = budgetsStore();
  private final Map<String, TokenNode> nodes = new HashMap<>();
  private final Map<String, Long> pending = new HashMap<>();
  private int nodeReads;
  private final Budgets budgets =
      new Budgets(
          store,
          key -> {
            nodeReads++;
            return nodes.get(key);
          },
          key -> pending.getOrDefault(key, 0L));

  private static KeyValueStore<String, String> budgetsStore() {
    StoreBuilder<KeyValueStore<String, String>> builder =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(LedgerStores.BUDGETS),
                Serdes.String(),
                Serdes.String())
            .withLoggingDisabled();
    KeyValueStore<String, String> store = builder.build();
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store.init(context.getStateStoreContext(), store);
    return store;
  }

  /** r (max_uses 2), a below it (inherits 2), and a token {@code n} without max_uses. */
  private void tree() {
    TokenNode r = add("t/r", TreeFixture.root(), null);
    add("t/a", Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0), r);
  }

  private TokenNode add(String key, LedgerEvent definition, TokenNode parent) {
    TokenNode node = Derivation.derive(definition, parent, 32).node();
    nodes.put(key, node);
    return node;
  }

  /** A use of {@code key} at second {@code at}, counted as pending first (as Uses does). */
  private boolean use(String key, String eventId, long at, List<Budgets.Pushed> pushed) {
    TokenNode node = nodes.get(key);
    node.getChain().forEach(hop -> pending.merge("t/" + hop.getTokenId(), 1L, Long::sum));
    return budgets.rank(key, node, at * 1000, eventId, pushed);
  }

  @Test
  void usesInOrderAreWithinUntilTheBudgetIsSpent() {
    tree();
    List<Budgets.Pushed> pushed = new ArrayList<>();
    assertThat(use("t/a", "u1", 10, pushed)).isTrue();
    assertThat(use("t/r", "u2", 20, pushed)).isTrue();
    assertThat(use("t/a", "u3", 30, pushed)).as("the third use of r's subtree").isFalse();
    assertThat(pushed).isEmpty();
  }

  @Test
  void anEarlierUseArrivingLatePushesTheLastUseWithinOut() {
    tree();
    List<Budgets.Pushed> pushed = new ArrayList<>();
    use("t/a", "u30", 30, pushed);
    use("t/r", "u20", 20, pushed);
    assertThat(use("t/a", "u10", 10, pushed)).as("within by event time").isTrue();
    assertThat(pushed).containsExactly(new Budgets.Pushed("t/a", "u30"));
    pushed.clear();
    assertThat(use("t/a", "u05", 5, pushed)).isTrue();
    assertThat(pushed).as("u30 was out already").containsExactly(new Budgets.Pushed("t/r", "u20"));
    pushed.clear();
    assertThat(use("t/a", "u50", 50, pushed)).as("last and past: itself, no push").isFalse();
    assertThat(pushed).isEmpty();
  }

  @Test
  void aTokenThatInheritsItsBudgetKeepsNone() {
    tree();
    use("t/a", "u1", 10, new ArrayList<>());
    assertThat(LedgerStores.scan(store, "t/a")).isEmpty();
    assertThat(LedgerStores.scan(store, "t/r"))
        .singleElement()
        .satisfies(kv -> assertThat(kv.value).as("the used token").isEqualTo("t/a"));
  }

  @Test
  void aChainWithoutMaxUsesReadsNoAncestorAndWritesNothing() {
    TokenNode n =
        add(
            "t/n",
            Events.issued(
                "t", "ev-n", "n", "user:u", "agent:n", List.of("api"), List.of(), null, null, T0),
            null);
    add("t/m", Events.attenuated("t", "ev-m", "m", "n", "agent:m", T0), n);
    nodeReads = 0;
    assertThat(use("t/m", "u1", 10, new ArrayList<>())).isTrue();
    assertThat(nodeReads).isZero();
    assertThat(store.approximateNumEntries()).isZero();
  }
}
