package dev.ledger.bench.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.bench.kafka.EventEncoder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TreeShapeTest {

  @Test
  void aChainIsAsDeepAsItsDescendants() {
    TreeShape chain = TreeShape.chain(30);
    assertThat(chain.depth()).isEqualTo(30);
    assertThat(chain.tokens()).isEqualTo(31);
    assertThat(chain.parent(5)).isEqualTo(4);
  }

  @Test
  void aTreeOfTenThousandIsShallow() {
    TreeShape tree = TreeShape.tree(10_000);
    assertThat(tree.depth()).isEqualTo(4);
    assertThat(tree.parent(10)).isEqualTo(0);
    assertThat(tree.parent(11)).isEqualTo(1);
  }

  @Test
  void itsEventsAreValidContractEventsWithUniqueIds() {
    TreeShape tree = TreeShape.tree(25);
    List<String> events = tree.issueEvents("rv-x-s0r0", Instant.parse("2026-01-01T00:00:00Z"));
    EventEncoder encoder = new EventEncoder();
    assertThat(events).hasSize(26);
    assertThat(events.stream().map(encoder::encode).map(e -> e.eventId()).distinct()).hasSize(26);
    assertThat(encoder.encode(TreeShape.revokeRoot("rv-x-s0r0", Instant.now())).eventId())
        .isEqualTo("rv-x-s0r0-revoke");
    assertThat(new String(encoder.encode(events.get(7)).key())).isEqualTo("default/rv-x-s0r0-7");
  }
}
