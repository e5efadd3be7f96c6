package dev.ledger.streams.internal;

import java.util.List;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * One processor on a MockProcessorContext with its in-memory stores: feed records, look at what it
 * forwarded.
 */
final class Harness {

  final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
  private final Processor<String, Object, Object, Object> processor;

  @SuppressWarnings("unchecked") // the tests feed each processor the values its sources would
  Harness(Processor<String, ?, Object, Object> processor, List<StoreBuilder<?>> stores) {
    this.processor = (Processor<String, Object, Object, Object>) processor;
    for (StoreBuilder<?> builder : stores) {
      // A caching store needs the stream thread's cache, which a MockProcessorContext has not.
      StateStore store = builder.withCachingDisabled().withLoggingDisabled().build();
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }
    context.setCurrentSystemTimeMs(1_000_000L);
    this.processor.init(context);
  }

  /**
   * Processes one record, then what the tree processor sent to its own input topic (a cascade's
   * follow-up), as the broker would deliver it after the commit; see {@link #holdingFollowUps}.
   */
  Harness process(String key, Object value) {
    processor.process(new Record<>(key, value, 0L));
    if (!holdFollowUps) {
      releaseFollowUps();
    }
    return this;
  }

  private boolean holdFollowUps;
  private int followUpsSeen;

  /** From now on, follow-ups wait for {@link #releaseFollowUps()}: events can come in between. */
  Harness holdingFollowUps() {
    holdFollowUps = true;
    return this;
  }

  /** Processes the follow-ups sent since the last release, in order. */
  Harness releaseFollowUps() {
    List<Record<Object, Object>> loop = sent(TreeProcessor.NAME, Outputs.TREES);
    while (followUpsSeen < loop.size()) {
      Record<Object, Object> next = loop.get(followUpsSeen++);
      processor.process(new Record<>((String) next.key(), next.value(), 0L));
      loop = sent(TreeProcessor.NAME, Outputs.TREES);
    }
    return this;
  }

  /** Everything forwarded to the sink of {@code output} since the last {@link #clear()}. */
  @SuppressWarnings("unchecked")
  List<Record<Object, Object>> sent(String processorName, String output) {
    return context.forwarded().stream()
        .filter(f -> Outputs.sink(processorName, output).equals(f.childName().orElse(null)))
        .map(f -> (Record<Object, Object>) f.record())
        .toList();
  }

  Harness clear() {
    context.resetForwards();
    followUpsSeen = 0;
    return this;
  }

  /** Runs the (first) wall-clock punctuator at {@code now}. */
  Harness punctuate(long now) {
    context.setCurrentSystemTimeMs(now);
    context.scheduledPunctuators().getFirst().getPunctuator().punctuate(now);
    return this;
  }

  /** Runs every scheduled punctuator at {@code now}, in the order they were scheduled. */
  Harness punctuateAll(long now) {
    context.setCurrentSystemTimeMs(now);
    context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(now));
    return this;
  }
}
