package dev.ledger.streams.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.streams.testing.Events;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The decoded nodes {@link TreeNodes} keeps: a node read or published once is not decoded again,
 * what a new instance (a processor initialised again after an abort) serves comes from the store,
 * and the decoded ones are bounded.
 */
class TreeNodesTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
  private final KeyValueStore<String, byte[]> store =
      Stores.keyValueStoreBuilder(
              Stores.inMemoryKeyValueStore(LedgerStores.NODES), Serdes.String(), Serdes.ByteArray())
          .withLoggingDisabled()
          .build();

  TreeNodesTest() {
    store.init(context.getStateStoreContext(), store);
    context.setCurrentSystemTimeMs(T0.toEpochMilli());
  }

  private TreeNodes nodes() {
    return new TreeNodes(store, new Outputs(context, TreeProcessor.NAME));
  }

  private static TokenNode node(String tokenId) {
    return Derivation.derive(
            Events.issued(
                "t",
                "ev-" + tokenId,
                tokenId,
                "user:u",
                "agent:" + tokenId,
                List.of("api"),
                List.of("read"),
                T0.plusSeconds(3600),
                null,
                T0),
            null,
            32)
        .node();
  }

  @Test
  void aPublishedNodeIsServedWithoutReadingTheStoreAgain() {
    TreeNodes nodes = nodes();
    TokenNode r = nodes.publish("t/r", node("r"));
    assertThat(store.get("t/r")).as("stored, encoded").isNotNull();
    store.delete("t/r"); // a read of the store would now find nothing
    assertThat(nodes.get("t/r")).isSameAs(r);
    assertThat(context.forwarded()).as("emitted on ledger.tokens once").hasSize(1);
  }

  @Test
  void aStoredNodeIsDecodedOnceAndANewInstanceReadsTheStore() {
    nodes().publish("t/r", node("r"));
    TreeNodes again = nodes(); // as after an aborted transaction: nothing kept from before
    TokenNode read = again.get("t/r");
    assertThat(read.getTokenId()).isEqualTo("r");
    assertThat(again.get("t/r")).as("decoded once").isSameAs(read);
    store.delete("t/r");
    assertThat(nodes().get("t/r")).as("a new instance knows only the store").isNull();
  }

  @Test
  void theDecodedNodesAreBounded() {
    TreeNodes nodes = nodes();
    TokenNode first = nodes.publish("t/first", node("first"));
    for (int i = 0; i < TreeNodes.DECODED; i++) {
      nodes.publish("t/n" + i, node("n" + i));
    }
    TokenNode read = nodes.get("t/first");
    assertThat(read).as("evicted: decoded from the store again").isNotSameAs(first);
    assertThat(read.getTokenId()).isEqualTo("first");
  }
}
