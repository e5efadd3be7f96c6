package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.TokenNode;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The budget rule of the tree processor: the allowed uses counted against a token with {@code
 * max_uses} are ranked by event time (ties: event id) in {@code ledger-tree-budgets}, and those
 * ranked beyond {@code max_uses} are {@code usage_limit_exceeded}. A use that happened earlier but
 * arrives later pushes the last use within the budget out of it ({@link Pushed}).
 */
final class Budgets {

  /** One allowed use taken out of a budget by an earlier use that arrived later. */
  record Pushed(String tokenKey, String eventId) {}

  private final KeyValueStore<String, String> budgets;
  private final Function<String, TokenNode> nodes;
  private final ToLongFunction<String> pendingCount;

  /**
   * @param budgets the {@code ledger-tree-budgets} store: a {@link BudgetKey} to the used token's
   *     key
   * @param nodes a token's stored node by key, or null
   * @param pendingCount a token's allowed uses not yet in its node's {@code uses}
   */
  Budgets(
      KeyValueStore<String, String> budgets,
      Function<String, TokenNode> nodes,
      ToLongFunction<String> pendingCount) {
    this.budgets = budgets;
    this.nodes = nodes;
    this.pendingCount = pendingCount;
  }

  /**
   * Ranks a use of {@code node} in the budget of every token of its chain that sets {@code
   * max_uses} itself; false if it falls past one of them. A token whose {@code max_uses} is its
   * parent's, inherited or the same, keeps no budget: its subtree's uses are a subset of the
   * parent's, so a use ranked past it is ranked past the parent's too, and a use it would push out
   * of its budget the parent pushes out (or had already). So a chain without {@code max_uses} reads
   * no ancestor and writes no budget entry.
   *
   * @param pushed receives the uses this one pushes out of a budget
   */
  boolean rank(String key, TokenNode node, long occurredAt, String eventId, List<Pushed> pushed) {
    boolean within = true;
    List<Hop> chain = node.getChain();
    String holderKey = key;
    TokenNode holder = node;
    for (int i = chain.size() - 1; holder != null && holder.getMaxUses() != null; i--) {
      String parentKey =
          i == 0 ? null : LedgerKey.of(node.getTenant(), chain.get(i - 1).getTokenId()).toString();
      TokenNode parent = parentKey == null ? null : nodes.apply(parentKey);
      if ((parent == null || !holder.getMaxUses().equals(parent.getMaxUses()))
          && !withinBudget(
              holderKey, holder, new BudgetKey(holderKey, occurredAt, eventId), key, pushed)) {
        within = false;
      }
      holderKey = parentKey;
      holder = parent;
    }
    return within;
  }

  /**
   * Adds a use to the budget of {@code holder} (whose {@code uses} plus pending count already
   * counts it) and tells whether it ranks within {@code max_uses}. A use that ranks within but not
   * last pushes the use now ranked just past the budget into {@code pushed}; uses ranked further
   * were already over it.
   */
  private boolean withinBudget(
      String holderKey, TokenNode holder, BudgetKey use, String usedKey, List<Pushed> pushed) {
    long max = holder.getMaxUses();
    String entryKey = use.encode();
    String last = LedgerStores.lastKey(budgets, holderKey);
    budgets.put(entryKey, usedKey);
    if (last == null || LedgerStores.sortsAfter(entryKey, last)) {
      // the usual case: it happened after every use counted so far
      return holder.getUses() + pendingCount.applyAsLong(holderKey) <= max;
    }
    long rank = 0;
    boolean seen = false;
    try (KeyValueIterator<String, String> it = LedgerStores.iterate(budgets, holderKey)) {
      while (it.hasNext() && rank <= max) {
        KeyValue<String, String> next = it.next();
        if (next.key.equals(entryKey)) {
          if (rank == max) {
            return false; // the first use past the budget
          }
          seen = true;
        } else if (rank == max) {
          if (seen) {
            pushed.add(new Pushed(next.value, BudgetKey.parse(next.key).eventId()));
          }
          return seen; // not seen yet: it lies further past the budget
        }
        rank++;
      }
    }
    return seen;
  }
}
