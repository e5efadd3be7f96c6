package dev.ledger.streams.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The roots of the tokens that this instance's resolvers resolved last, shared by all of its
 * resolver tasks, so that a child whose parent resolved in another task (another partition of
 * {@code ledger.events}) resolves at once instead of asking its parent over the resolve loop. That
 * spares a child the request and the answer on {@code <app>-resolve}, their processing, and the
 * pending link written and read back in between: three of the eleven records a child definition
 * wrote, and about a fifth of the stream thread's time in the pipeline benchmark (BENCHMARKS.md).
 *
 * <p>An entry may come from a transaction that has not committed yet, even one that will abort, or
 * from another stream thread: that is safe because a resolved token's root and depth never change.
 * They follow from the definitions alone, which are read in offset order on every replay, and a
 * resolved link is never written again. So an entry says what the parent's own task has resolved,
 * or will resolve again after an abort. A token missing here (evicted, resolved by another
 * instance, or before a restart) costs only the loop. Bounded: the least recently used entry goes
 * first.
 *
 * <p>Thread-safe. One instance per topology ({@code LedgerTopology.build}), handed to each {@link
 * ResolverProcessor} it creates.
 */
public final class ResolvedRoots {

  /** Entries kept by default: about 150 bytes each, so some 5 MB of heap. */
  public static final int DEFAULT_CAPACITY = 32_768;

  /** A token's tree root and its depth below it (the root is depth 0). */
  record Root(String rootId, int depth) {}

  private final int capacity;
  private final Map<String, Root> roots;

  /**
   * @param capacity how many tokens to remember; 0 keeps none (every child asks over the loop)
   */
  public ResolvedRoots(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
    }
    this.capacity = capacity;
    this.roots =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Root> eldest) {
            return size() > ResolvedRoots.this.capacity;
          }
        };
  }

  /** The root of the resolved token {@code tokenKey} ({@code tenant/token_id}), or null. */
  synchronized Root get(String tokenKey) {
    return capacity == 0 ? null : roots.get(tokenKey);
  }

  /** Remembers that {@code tokenKey} resolved to {@code rootId} at {@code depth}. */
  synchronized void put(String tokenKey, String rootId, int depth) {
    if (capacity > 0) {
      roots.put(tokenKey, new Root(rootId, depth));
    }
  }
}
