package dev.ledger.streams.internal;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only fault injection ({@code StreamsSettings.crashAfterRecords}, config key {@code
 * streams.test.crash.after.records}, empty by default): the stream thread that processes the n-th
 * event of this instance throws, once for each n listed, so that a fault campaign can crash a
 * stream thread mid-transaction and show that Kafka Streams replaces it (the uncaught-exception
 * handler's {@code REPLACE_THREAD}) and, under exactly-once, the aborted transaction is processed
 * again with nothing lost or doubled. One per topology: the tasks of every thread share the count.
 */
public final class InjectedCrash {

  /** No crash: what every real deployment runs with. */
  public static final InjectedCrash NONE = new InjectedCrash(List.of());

  private final long[] at;
  private final AtomicLong events = new AtomicLong();

  public InjectedCrash(List<Long> crashAfterRecords) {
    this.at = crashAfterRecords.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /**
   * Counts one event; throws {@link IllegalStateException} when it is one listed. The count goes on
   * across the crash, so the event processed again after the thread is replaced passes.
   */
  void onEvent() {
    if (at.length == 0) {
      return;
    }
    long n = events.incrementAndGet();
    if (Arrays.binarySearch(at, n) >= 0) {
      throw new IllegalStateException(
          "injected stream-thread crash at event "
              + n
              + " (test-only setting streams.test.crash.after.records)");
    }
  }
}
