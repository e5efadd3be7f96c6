package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.ViolationKind;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

/** Violation sets in the ledger's one stable order (the order of {@link ViolationKind}). */
public final class Violations {

  private Violations() {}

  public static EnumSet<ViolationKind> of(Collection<ViolationKind> kinds) {
    EnumSet<ViolationKind> set = EnumSet.noneOf(ViolationKind.class);
    set.addAll(kinds);
    return set;
  }

  /** The union of {@code existing} and {@code added}, once each, in enum order. */
  public static List<ViolationKind> union(
      Collection<ViolationKind> existing, Collection<ViolationKind> added) {
    EnumSet<ViolationKind> set = of(existing);
    set.addAll(added);
    return List.copyOf(set);
  }

  /** The kinds as a bit mask, for compact storage. */
  public static int mask(Collection<ViolationKind> kinds) {
    int mask = 0;
    for (ViolationKind kind : kinds) {
      mask |= 1 << kind.ordinal();
    }
    return mask;
  }

  public static boolean has(int mask, ViolationKind kind) {
    return (mask & (1 << kind.ordinal())) != 0;
  }

  public static int with(int mask, ViolationKind kind) {
    return mask | (1 << kind.ordinal());
  }
}
