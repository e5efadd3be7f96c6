package dev.ledger.ingest;

import dev.ledger.schemas.EventType;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The credential a batch is submitted with, as far as ingest needs to know it.
 *
 * @param id the credential's id (an API key id, {@code jwt:<sub>}), written on every event of the
 *     batch as the {@code ledger.submitted_by} header; null writes no header
 * @param tenant the tenant it may write: a tenant name, or {@link IngestService#ANY_TENANT}
 * @param permissions the names of the permissions it holds; of these, {@link
 *     EventType#permission()} decides which event types it may report
 */
public record Submitter(String id, String tenant, Set<String> permissions) {

  /** Every permission that reports events. */
  public static final Set<String> ALL_EVENTS =
      Arrays.stream(EventType.values())
          .map(EventType::permission)
          .collect(Collectors.toUnmodifiableSet());

  public Submitter {
    Objects.requireNonNull(tenant, "tenant");
    permissions = Set.copyOf(permissions);
  }

  /**
   * An anonymous submitter that may report every event type of {@code tenant} (no header is
   * written).
   */
  public static Submitter anyEvent(String tenant) {
    return new Submitter(null, tenant, ALL_EVENTS);
  }

  /** True when this submitter may report events of {@code type}. */
  public boolean mayReport(EventType type) {
    return permissions.contains(type.permission());
  }
}
