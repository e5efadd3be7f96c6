package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;

import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.streams.testing.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A tree processor on a {@link Harness} with in-memory stores, for the tests of the processor and
 * of each of its collaborators (reached through the processor's wiring, so they are tested as they
 * run): tenant {@code t}, tree {@code t/r}.
 */
final class TreeFixture {

  static final String P = TreeProcessor.NAME;

  /** When the root of {@link #buildTree()} expires (wall clock and event time alike). */
  static final Instant EXPIRES = Instant.ofEpochMilli(2_000_000L);

  /** Wall-clock time of a flush of the pending uses (the harness starts at 1,000,000). */
  static final long FLUSH = 1_000_500L;

  final TreeProcessor processor = new TreeProcessor(32, Duration.ofMillis(500));
  final Harness h = new Harness(processor, LedgerStores.treeStores(true));

  /** Processes {@code e} as stage 1 sends it: not audited yet. */
  void tree(LedgerEvent e) {
    h.process("t/r", TreeMessage.of(e, false));
  }

  /** The root {@code r} (max_uses 2, audience api, expires at {@link #EXPIRES}). */
  static LedgerEvent root() {
    return Events.issued(
        "t", "ev-r", "r", "user:u", "agent:r", List.of("api"), List.of("read"), EXPIRES, 2L, T0);
  }

  /** {@code r}, {@code a} below it, {@code b} below {@code a}. */
  void buildTree() {
    tree(root());
    tree(Events.attenuated("t", "ev-a", "a", "r", "agent:a", T0));
    tree(Events.attenuated("t", "ev-b", "b", "a", "agent:b", T0));
  }

  /** An allowed use of {@code token} on {@code api}, {@code secondsAfterT0} after T0. */
  void use(String eventId, String token, int secondsAfterT0) {
    tree(
        Events.used(
            "t", eventId, token, "api", null, Outcome.allowed, T0.plusSeconds(secondsAfterT0)));
  }

  /** Everything forwarded to {@code output} since the last clear. */
  List<Record<Object, Object>> sent(String output) {
    return h.sent(P, output);
  }

  /** The last TokenNode emitted for {@code key} since the last clear. */
  TokenNode latest(String key) {
    List<Record<Object, Object>> sent =
        sent(Outputs.TOKENS).stream().filter(r -> r.key().equals(key)).toList();
    return node(sent.getLast());
  }

  /** The tree processor sends TokenNodes encoded, as its sink writes them. */
  static TokenNode node(Record<Object, Object> sent) {
    return LedgerStores.NODE_SERDE.decode((byte[]) sent.value());
  }
}
