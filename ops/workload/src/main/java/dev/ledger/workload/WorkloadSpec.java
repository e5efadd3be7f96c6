package dev.ledger.workload;

import java.time.Instant;

/**
 * The shape of a synthetic workload. Build with {@link #builder()}; every field has a default.
 *
 * @param seed the random seed: the same spec always yields the same events
 * @param trees how many root grants (each the root of a delegation tree)
 * @param tenants spread trees over this many tenants ({@code t0}, {@code t1}, ...)
 * @param users distinct principals per tenant
 * @param depth maximum delegation depth below a root
 * @param fanout children per token (the last level has none)
 * @param usesPerToken uses reported per token
 * @param violationShare share of children and uses that break a rule (escalation, wrong holder,
 *     wrong audience)
 * @param revocationShare share of trees in which one token is revoked (followed by a use after
 *     revocation)
 * @param start event time of the first event
 */
public record WorkloadSpec(
    long seed,
    int trees,
    int tenants,
    int users,
    int depth,
    int fanout,
    int usesPerToken,
    double violationShare,
    double revocationShare,
    Instant start) {

  public WorkloadSpec {
    if (trees < 0 || tenants < 1 || users < 1 || depth < 0 || fanout < 0 || usesPerToken < 0) {
      throw new IllegalArgumentException(
          "trees, depth, fanout and uses must be >= 0; tenants and users >= 1");
    }
    if (violationShare < 0 || violationShare > 1 || revocationShare < 0 || revocationShare > 1) {
      throw new IllegalArgumentException("shares must be between 0 and 1");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Tokens in one tree: 1 + f + f^2 + ... + f^depth. */
  public long tokensPerTree() {
    long total = 0;
    long level = 1;
    for (int d = 0; d <= depth; d++) {
      total += level;
      level *= fanout;
    }
    return total;
  }

  /**
   * Builder with realistic defaults: 1,000 trees of depth 3 and fan-out 2, 5 % violations, 2 %
   * revocations.
   */
  public static final class Builder {
    private long seed = 42;
    private int trees = 1000;
    private int tenants = 1;
    private int users = 100;
    private int depth = 3;
    private int fanout = 2;
    private int usesPerToken = 2;
    private double violationShare = 0.05;
    private double revocationShare = 0.02;
    private Instant start = Instant.parse("2026-01-01T00:00:00Z");

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder trees(int v) {
      trees = v;
      return this;
    }

    public Builder tenants(int v) {
      tenants = v;
      return this;
    }

    public Builder users(int v) {
      users = v;
      return this;
    }

    public Builder depth(int v) {
      depth = v;
      return this;
    }

    public Builder fanout(int v) {
      fanout = v;
      return this;
    }

    public Builder usesPerToken(int v) {
      usesPerToken = v;
      return this;
    }

    public Builder violationShare(double v) {
      violationShare = v;
      return this;
    }

    public Builder revocationShare(double v) {
      revocationShare = v;
      return this;
    }

    public Builder start(Instant v) {
      start = v;
      return this;
    }

    public WorkloadSpec build() {
      return new WorkloadSpec(
          seed,
          trees,
          tenants,
          users,
          depth,
          fanout,
          usesPerToken,
          violationShare,
          revocationShare,
          start);
    }
  }
}
