package dev.ledger.index;

import java.util.List;

/**
 * How a wait for events ({@link LedgerIndex#awaitEvents}) ended.
 *
 * @param notSeen the awaited event ids whose derived records were not all searchable when the wait
 *     ended (its deadline, or the index closing), in the order they were asked for; empty when
 *     every one was
 */
public record AwaitedEvents(List<String> notSeen) {

  public AwaitedEvents {
    notSeen = List.copyOf(notSeen);
  }

  /** True when the records derived from every awaited event are searchable. */
  public boolean allSeen() {
    return notSeen.isEmpty();
  }
}
