package dev.ledger.api.internal;

import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Permission;
import io.javalin.security.RouteRole;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** What a route requires of its caller; attached to each route when it is registered. */
public enum Requirement implements RouteRole {
  /** No credential needed ({@code /health}, {@code /metrics}, {@code /openapi.json}). */
  OPEN(),
  /**
   * Any valid credential, whatever it may do ({@code /v1/keys}: public material, but under {@code
   * /v1}).
   */
  AUTHENTICATED(),
  /**
   * Any permission that reports events; which events of a batch it may report is checked per event.
   */
  REPORT_EVENTS(Permission.EVENTS.toArray(Permission[]::new)),
  READ_TOKENS(Permission.READ_TOKENS),
  /** Audit records and alerts. */
  READ_AUDIT(Permission.READ_AUDIT),
  READ_REVOCATIONS(Permission.READ_REVOCATIONS),
  EXPORT(Permission.EXPORT),
  /** The Shared Signals stream management and poll endpoints. */
  SSF_MANAGE(Permission.SSF_MANAGE);

  private final Set<Permission> anyOf;

  Requirement(Permission... anyOf) {
    Set<Permission> set = EnumSet.noneOf(Permission.class);
    Collections.addAll(set, anyOf);
    this.anyOf = Collections.unmodifiableSet(set);
  }

  /**
   * @return true when {@code caller} holds one of the permissions this requires (always, for open
   *     routes)
   */
  public boolean allows(Caller caller) {
    return anyOf.isEmpty() || anyOf.stream().anyMatch(caller::may);
  }

  /**
   * @return what a caller lacks, for the 403 message: {@code permission read:audit}
   */
  public String needs() {
    return (anyOf.size() == 1 ? "permission " : "one of the permissions ")
        + anyOf.stream().map(Permission::id).collect(Collectors.joining(", "));
  }
}
