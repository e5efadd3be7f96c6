package dev.ledger.bench.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill campaign at a tiny size (the full one is {@code ledger bench fault-campaign}: 1 M
 * events, 20 kills): a {@code kill -9} of a child-JVM {@code ledger up} during a replay of 3,000
 * events (one, to keep the suite short: each restart of a killed ledger takes tens of seconds), and
 * nothing is lost or doubled anywhere; the same for a restart of its (external) broker mid-load.
 */
class FaultCampaignIT {

  @TempDir Path dir;

  @Test
  void aKillDuringAReplayLosesAndDoublesNothing() throws Exception {
    CampaignReport r =
        new FaultCampaign(
                new FaultCampaign.Options(
                    3_000, 1, 2, 2, 3, Duration.ofMinutes(5), FaultCampaign.Fault.KILL_LEDGER),
                System.out)
            .run(dir);
    String why = CampaignSection.of(r, "FaultCampaignIT", java.util.Map.of()).toText();
    assertThat(r.kills()).as(why).isEqualTo(1);
    // The kill fell once the ledger had processed past its point, not when it had been sent.
    assertThat(r.faultPoints())
        .as(why)
        .singleElement()
        .satisfies(p -> assertThat(p.processed()).isGreaterThan(p.point()));
    assertThat(r.events()).as(why).isEqualTo(3_000);
    assertThat(r.auditTopic().once()).as(why).isEqualTo(3_000);
    assertThat(r.index().once()).as(why).isEqualTo(3_000);
    assertThat(r.notary().once()).as(why).isEqualTo(3_000);
    assertThat(r.revocationsExpected()).as(why).isPositive();
    assertThat(r.revocationsMissing()).as(why).isZero();
    assertThat(r.revocationsDuplicated()).as(why).isZero();
    assertThat(r.exportProblems()).as(why).isEmpty();
    assertThat(r.exportsVerified()).as(why).isEqualTo(2);
    assertThat(r.passed()).as(why).isTrue();
  }

  @Test
  void aBrokerRestartUnderARunningLedgerLosesAndDoublesNothing() throws Exception {
    CampaignReport r =
        new FaultCampaign(
                new FaultCampaign.Options(
                    3_000, 1, 2, 2, 5, Duration.ofMinutes(5), FaultCampaign.Fault.RESTART_BROKER),
                System.out)
            .run(dir);
    String why = CampaignSection.of(r, "FaultCampaignIT", java.util.Map.of()).toText();
    assertThat(r.kills()).as(why).isEqualTo(1);
    assertThat(r.auditTopic().once()).as(why).isEqualTo(3_000);
    assertThat(r.index().once()).as(why).isEqualTo(3_000);
    assertThat(r.notary().once()).as(why).isEqualTo(3_000);
    assertThat(r.revocationsMissing()).as(why).isZero();
    assertThat(r.revocationsDuplicated()).as(why).isZero();
    assertThat(r.exportProblems()).as(why).isEmpty();
    assertThat(r.passed()).as(why).isTrue();
  }
}
