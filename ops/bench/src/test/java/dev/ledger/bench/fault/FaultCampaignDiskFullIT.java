package dev.ledger.bench.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka disk-full campaign at a small size, opt-in ({@code -Dledger.it.mount=true}: it needs
 * root to mount a tmpfs and takes minutes, so the suite does not run it); skipped with the reason
 * where mounting is refused.
 */
@EnabledIfSystemProperty(named = "ledger.it.mount", matches = "true")
class FaultCampaignDiskFullIT {

  @TempDir Path dir;

  @Test
  void aFullKafkaLogDirectoryHaltsTheLedgerAndARestartWithSpaceLosesNothingAcknowledged()
      throws Exception {
    CampaignReport r;
    try {
      r =
          new FaultCampaign(
                  new FaultCampaign.Options(
                      EVENTS,
                      1,
                      1,
                      1,
                      5,
                      Duration.ofMinutes(10),
                      FaultCampaign.Fault.KAFKA_DISK_FULL),
                  System.out)
              .run(dir);
    } catch (SmallFilesystem.Refused e) {
      Assumptions.abort(e.getMessage());
      return;
    }
    String why = CampaignSection.of(r, "FaultCampaignDiskFullIT", java.util.Map.of()).toText();
    assertThat(r.kills()).as(why).isEqualTo(1);
    assertThat(r.faultPoints().getFirst().point()).as(why).isPositive().isLessThan(EVENTS);
    assertThat(r.auditTopic().once()).as(why).isEqualTo(EVENTS);
    assertThat(r.index().once()).as(why).isEqualTo(EVENTS);
    assertThat(r.notary().once()).as(why).isEqualTo(EVENTS);
    assertThat(r.revocationsMissing()).as(why).isZero();
    assertThat(r.revocationsDuplicated()).as(why).isZero();
    assertThat(r.exportProblems()).as(why).isEmpty();
    assertThat(r.passed()).as(why).isTrue();
  }

  /** Enough to fill the campaign's tmpfs with one partition per topic. */
  private static final int EVENTS = 150_000;
}
