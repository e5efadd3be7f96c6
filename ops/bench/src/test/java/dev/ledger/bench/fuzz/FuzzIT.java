package dev.ledger.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.bench.ledger.BenchLedger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fuzz run at a tiny size (the full run is {@code ledger bench fuzz}, 100,000 inputs): 2,000
 * seeded inputs over every route and {@code ledger.events} against a real ledger, and every check
 * of {@link FuzzReport} holds.
 */
class FuzzIT {

  @Test
  void twoThousandHostileInputsGiveNo5xxAndEveryRecordSettles() throws Exception {
    FuzzReport r;
    try (BenchLedger ledger =
        BenchLedger.start(
            BenchLedger.Options.defaults().partitions(2).settings(FuzzRun.ledgerSettings()))) {
      r =
          new FuzzRun(
                  new FuzzRun.Options(2_000, 16, 8, Duration.ofSeconds(60), "ledger-streams"),
                  System.out)
              .run(ledger);
    }
    String why =
        FuzzSection.of(r, "FuzzIT", java.util.Map.of()).toText()
            + String.join("\n", r.serverErrors())
            + String.join("\n", r.unaccounted())
            + String.join("\n", r.duplicated());
    assertThat(r.totalInputs()).as(why).isEqualTo(2_000);
    // Every GET route of the OpenAPI description was tried, and the raw records were written.
    assertThat(r.inputs().keySet())
        .as(why)
        .hasSizeGreaterThanOrEqualTo(HttpInputs.getRoutes().size() + 2);
    assertThat(r.serverErrors()).as(why).isEmpty();
    assertThat(r.unaccounted()).as(why).isEmpty();
    assertThat(r.dlqRecords()).as(why).isPositive();
    assertThat(r.audited()).as(why).isPositive();
    assertThat(r.duplicateAudits()).as(why).isZero();
    assertThat(r.dlqWithoutReason()).as(why).isZero();
    assertThat(r.stuckPartitions()).as(why).isEmpty();
    assertThat(r.canaryProcessed()).as(why).isTrue();
    assertThat(r.passed()).isTrue();
  }
}
