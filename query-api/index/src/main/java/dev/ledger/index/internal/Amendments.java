package dev.ledger.index.internal;

import dev.ledger.schemas.avro.AuditAmendment;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.ViolationKind;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

/**
 * Folds amendments into the audit record they amend, for search: the record keeps every field as
 * first written but {@code violations}, which becomes the verdict now, and its {@code amends} says
 * what changed since it was written ({@code added}, {@code removed}), the verdict as first recorded
 * ({@code recorded_violations}), and the last change ({@code cause_*}, {@code amended_at}). Set
 * operations only, so folding the same amendment twice (a replay) changes nothing.
 */
public final class Amendments {

  private Amendments() {}

  /**
   * {@code current} (the record as indexed, amended before or not) with {@code amendment} folded
   * in; {@code amendment} itself when the record it amends is not indexed (gone with the topic's
   * retention): then nothing is known of the verdict as first recorded.
   */
  public static AuditRecord fold(AuditRecord current, AuditRecord amendment) {
    AuditAmendment change = amendment.getAmends();
    if (current == null) {
      return amendment;
    }
    AuditAmendment before = current.getAmends();
    List<ViolationKind> recorded =
        before == null ? current.getViolations() : before.getRecordedViolations();
    EnumSet<ViolationKind> added = set(before == null ? List.of() : before.getAdded());
    EnumSet<ViolationKind> removed = set(before == null ? List.of() : before.getRemoved());
    added.addAll(change.getAdded());
    added.removeAll(change.getRemoved());
    removed.addAll(change.getRemoved());
    removed.removeAll(change.getAdded());
    EnumSet<ViolationKind> now = set(current.getViolations());
    now.addAll(change.getAdded());
    now.removeAll(change.getRemoved());
    return AuditRecord.newBuilder(current)
        .setViolations(List.copyOf(now))
        .setAmends(
            AuditAmendment.newBuilder(change)
                .setAdded(List.copyOf(added))
                .setRemoved(List.copyOf(removed))
                .setRecordedViolations(recorded == null ? null : List.copyOf(recorded))
                .build())
        .build();
  }

  private static EnumSet<ViolationKind> set(Collection<ViolationKind> kinds) {
    EnumSet<ViolationKind> set = EnumSet.noneOf(ViolationKind.class);
    set.addAll(kinds);
    return set;
  }
}
