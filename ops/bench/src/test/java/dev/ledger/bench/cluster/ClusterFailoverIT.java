package dev.ledger.bench.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers, two {@code ledger streams} JVMs, a {@code kill -9} of one under a paced load with
 * revocations, then one broker of three stopped while the load goes on: the dead instance's tasks
 * move to the survivor, writes and processing go on with two brokers, exactly-once holds, and
 * revocation notices keep coming (the gap and the catch-up are printed; RELIABILITY.md keeps the
 * figures).
 */
class ClusterFailoverIT {

  // Kept when it fails: the instances' logs are in streams-N/streams.log.
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  void killingOneStreamsInstanceAndOneBrokerLosesAndDoublesNothing() throws Exception {
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
    assertThat(r.passed()).as(why).isTrue();
  }
}
