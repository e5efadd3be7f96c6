package dev.ledger.index;

import java.time.Instant;

/**
 * Every filter of CONTRACT.md section 4 for {@code GET /v1/audit}; a null field is not filtered.
 * All given filters must hold (AND). Values match exactly (case-sensitive), except {@code q}.
 *
 * @param principal the root's subject
 * @param actor an actor at ANY hop of the chain, or the presenter of a use
 * @param token the record's token_id
 * @param resource the resource of a use
 * @param action the action of a use, e.g. {@code GET /accounts/42}
 * @param outcome {@code allowed} or {@code denied}
 * @param type the event type, e.g. {@code token.used}
 * @param violation one violation kind the record carries
 * @param from occurred_at at or after (inclusive)
 * @param to occurred_at before (exclusive)
 * @param q Lucene classic query syntax over the record's values; field:value works on the keyword
 *     fields (principal, actor, token_id, resource, action, outcome, type, violation, event_id,
 *     root_id, parent_id, request_id, source, submitted_by, txn, acti) and {@code
 *     occurred_at:[2026-01-01T00:00:00Z TO *]}
 * @param submittedBy the id of the credential that submitted the event (an API key id, {@code
 *     jwt:<sub>})
 * @param txn the transaction id (a Transaction Token's {@code txn}) the record's chain carries
 * @param acti the actor-chain workflow id the record's chain carries
 */
public record AuditFilter(
    String principal,
    String actor,
    String token,
    String resource,
    String action,
    String outcome,
    String type,
    String violation,
    Instant from,
    Instant to,
    String q,
    String submittedBy,
    String txn,
    String acti) {

  private static final AuditFilter EMPTY = builder().build();

  /** Every filter but {@code txn} and {@code acti}. */
  public AuditFilter(
      String principal,
      String actor,
      String token,
      String resource,
      String action,
      String outcome,
      String type,
      String violation,
      Instant from,
      Instant to,
      String q,
      String submittedBy) {
    this(
        principal,
        actor,
        token,
        resource,
        action,
        outcome,
        type,
        violation,
        from,
        to,
        q,
        submittedBy,
        null,
        null);
  }

  /** Every filter but {@code submittedBy}. */
  public AuditFilter(
      String principal,
      String actor,
      String token,
      String resource,
      String action,
      String outcome,
      String type,
      String violation,
      Instant from,
      Instant to,
      String q) {
    this(
        principal, actor, token, resource, action, outcome, type, violation, from, to, q, null,
        null, null);
  }

  /** No filter: every record in scope. */
  public static AuditFilter empty() {
    return EMPTY;
  }

  /** A builder starting from no filter. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link AuditFilter}; every setter accepts null (not filtered). */
  public static final class Builder {
    private String principal,
        actor,
        token,
        resource,
        action,
        outcome,
        type,
        violation,
        q,
        submittedBy;
    private String txn, acti;
    private Instant from, to;

    private Builder() {}

    public Builder principal(String v) {
      principal = v;
      return this;
    }

    public Builder actor(String v) {
      actor = v;
      return this;
    }

    public Builder token(String v) {
      token = v;
      return this;
    }

    public Builder resource(String v) {
      resource = v;
      return this;
    }

    public Builder action(String v) {
      action = v;
      return this;
    }

    public Builder outcome(String v) {
      outcome = v;
      return this;
    }

    public Builder type(String v) {
      type = v;
      return this;
    }

    public Builder violation(String v) {
      violation = v;
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

    public Builder q(String v) {
      q = v;
      return this;
    }

    public Builder submittedBy(String v) {
      submittedBy = v;
      return this;
    }

    public Builder txn(String v) {
      txn = v;
      return this;
    }

    public Builder acti(String v) {
      acti = v;
      return this;
    }

    public AuditFilter build() {
      return new AuditFilter(
          principal,
          actor,
          token,
          resource,
          action,
          outcome,
          type,
          violation,
          from,
          to,
          q,
          submittedBy,
          txn,
          acti);
    }
  }
}
