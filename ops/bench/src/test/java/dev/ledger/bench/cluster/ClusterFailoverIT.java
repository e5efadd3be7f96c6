package dev.ledger.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers, two {@code ledger streams} JVMs and two {@code ledger api} JVMs (each its own
 * index; the first runs the deployment's one notary), the workload posted over HTTP split between
 * the API instances: a {@code kill -9} of one streams instance under the paced load with
 * revocations, then one broker of three stopped while the load goes on, then a second one: every
 * post is refused with 503 by both API instances until both brokers are back, and then everything
 * catches up without a restart of any ledger process. Exactly-once holds, every revocation reaches
 * every descendant once, and both API instances index every event once and answer the same, the
 * notary's exports verify and the other instance refuses exports with 503 (the gap, the catch-up
 * and the outage are printed; RELIABILITY.md keeps the figures).
 */
class ClusterFailoverIT {

  // Kept when it fails: the instances' logs are in streams-N/streams.log and api-N/api.log.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void killingOneStreamsInstanceAndLosingBrokersLosesAndDoublesNothing() throws Exception {
    FailoverReport r = new ClusterFailover(ClusterFailover.Options.small(), System.out).run(dir);
    String why = r.toText();
    System.out.print(why);
    assertThat(r.survivorAlive()).as(why).isTrue();
    assertThat(r.audit().once()).as(why).isEqualTo(r.events());
    assertThat(r.audit().exact()).as(why).isTrue();
    assertThat(r.notices().once()).as(why).isPositive();
    assertThat(r.notices().exact()).as(why).isTrue();
    assertThat(r.catchUp()).as(why).isNotNull();
    // Revocations were posted while its tasks moved, and each was noticed (exact() above).
    assertThat(r.duringFailoverMillis()).as(why).isNotEmpty();
    // Two brokers down: nothing accepted, nothing but 503, from both API instances.
    assertThat(r.outage()).as(why).isNotNull();
    assertThat(r.posts().count(Posts.Phase.DOWN, 503)).as(why).isPositive();
    assertThat(r.posts().otherThan(Posts.Phase.DOWN, 503)).as(why).isZero();
    assertThat(r.posts().refusedBy().get(Posts.Phase.DOWN)).as(why).containsExactly(0, 1);
    assertThat(r.posts().unexpected()).as(why).isZero();
    // Both API instances: every event once in the index, the same answers; one notary's export.
    assertThat(r.apis().indexed()).as(why).allMatch(c -> c.exact() && c.once() == r.events());
    assertThat(r.apis().exported().exact()).as(why).isTrue();
    assertThat(r.apis().exported().once()).as(why).isEqualTo(r.events());
    assertThat(r.apis().exportProblems()).as(why).isEmpty();
    assertThat(r.apis().trailsDiffering()).as(why).isEmpty();
    assertThat(r.apis().tokensDiffering()).as(why).isEmpty();
    assertThat(r.apis().revokedTokens()).as(why).isPositive();
    assertThat(r.apis().lags()).as(why).containsOnly(0L);
    assertThat(r.passed()).as(why).isTrue();
  }
}
