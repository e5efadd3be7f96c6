package dev.ledger.index;

import java.util.Objects;

/**
 * The question of {@code GET /v1/authority}: which tokens held by {@code actor} (or held on behalf
 * of {@code principal}, or both) were in force at {@code time}, optionally only those whose
 * effective rights include {@code scope} and {@code audience}. At least one of actor and principal
 * is needed; {@link LedgerIndex#authority} answers otherwise with an {@link InvalidQueryException}.
 *
 * @param actor the holder of the token (the last hop's actor), or null
 * @param principal the root's subject, or null
 * @param scope one effective scope the token must have, or null
 * @param audience one effective audience the token must have, or null
 * @param time valid time and optional record time, never null
 */
public record AuthorityFilter(
    String actor, String principal, String scope, String audience, PointInTime time) {

  public AuthorityFilter {
    Objects.requireNonNull(time, "time");
  }
}
