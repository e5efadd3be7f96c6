package dev.ledger.streams.internal;

import static dev.ledger.streams.testing.Events.T0;

import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.streams.testing.Events;
import java.time.Duration;
import java.util.List;

/**
 * The stage-1 resolver on a {@link Harness} with in-memory stores (grace 5 minutes, max depth 64),
 * for the tests of the processor and of each of its collaborators, reached through its wiring.
 */
abstract class ResolverFixture {

  static final String R = ResolverProcessor.NAME;
  static final int MAX_DEPTH = 64;
  static final long START = 1_000_000L;
  static final long AFTER_GRACE = START + Duration.ofMinutes(5).toMillis() + 1;
  final ResolverProcessor processor = processor(Duration.ZERO, MAX_DEPTH);
  final Harness h = new Harness(processor, LedgerStores.resolverStores(true));

  static Harness harness(Duration dedupeRetention) {
    return harness(dedupeRetention, MAX_DEPTH);
  }

  static Harness harness(Duration dedupeRetention, int maxDepth) {
    return new Harness(processor(dedupeRetention, maxDepth), LedgerStores.resolverStores(true));
  }

  static ResolverProcessor processor(Duration dedupeRetention, int maxDepth) {
    return new ResolverProcessor(
        Duration.ofMinutes(5), dedupeRetention, maxDepth, LedgerLimits.DEFAULTS);
  }

  /** A resolver task that shares {@code roots} with others, as the tasks of one topology do. */
  static Harness sharing(ResolvedRoots roots, int maxDepth) {
    return new Harness(
        new ResolverProcessor(
            Duration.ofMinutes(5),
            Duration.ZERO,
            maxDepth,
            LedgerLimits.DEFAULTS,
            InjectedCrash.NONE,
            roots),
        LedgerStores.resolverStores(true));
  }

  /** Processes {@code e} as read from ledger.events, in {@code harness}. */
  static void event(Harness harness, LedgerEvent e) {
    harness.process(Events.key(e), new RawEvent(RawEvent.EVENT_SERDE.encode(e), e));
  }

  /** A state store of the harness {@code h}, by name. */
  <S> S store(String name) {
    return h.context.getStateStore(name);
  }

  static LedgerEvent root(String id) {
    return Events.issued(
        "t",
        "ev-" + id,
        id,
        "user:u",
        "agent:" + id,
        List.of("api"),
        List.of("read"),
        null,
        null,
        T0);
  }

  static LedgerEvent child(String id, String parent) {
    return Events.attenuated("t", "ev-" + id, id, parent, "agent:" + id, T0);
  }

  void event(LedgerEvent e) {
    event(h, e);
  }
}
