package dev.ledger.index;

import java.time.Instant;

/**
 * The filters of {@code GET /v1/alerts}; a null field is not filtered, all given ones must hold.
 *
 * @param kind a violation kind, e.g. {@code escalation}
 * @param token the alert's token_id
 * @param principal the root's subject
 * @param actor an actor at ANY hop of the chain
 * @param from occurred_at at or after (inclusive)
 * @param to occurred_at before (exclusive)
 */
public record AlertFilter(
    String kind, String token, String principal, String actor, Instant from, Instant to) {

  private static final AlertFilter EMPTY = new AlertFilter(null, null, null, null, null, null);

  /** No filter: every alert in scope. */
  public static AlertFilter empty() {
    return EMPTY;
  }

  /** A builder starting from no filter. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link AlertFilter}; every setter accepts null (not filtered). */
  public static final class Builder {
    private String kind, token, principal, actor;
    private Instant from, to;

    private Builder() {}

    public Builder kind(String v) {
      kind = v;
      return this;
    }

    public Builder token(String v) {
      token = v;
      return this;
    }

    public Builder principal(String v) {
      principal = v;
      return this;
    }

    public Builder actor(String v) {
      actor = v;
      return this;
    }

    public Builder from(Instant v) {
      from = v;
      return this;
    }

    public Builder to(Instant v) {
      to = v;
      return this;
    }

    public AlertFilter build() {
      return new AlertFilter(kind, token, principal, actor, from, to);
    }
  }
}
