package dev.ledger.bench.fault;

import dev.ledger.bench.harness.Row;
import dev.ledger.bench.harness.Section;
import java.util.Map;

/** A fault campaign as a section of RELIABILITY.md. */
public final class CampaignSection {

  private CampaignSection() {}

  public static Section of(CampaignReport r, String command, Map<String, String> sizes) {
    boolean broker = r.fault() == FaultCampaign.Fault.RESTART_BROKER;
    boolean crash = r.fault() == FaultCampaign.Fault.CRASH_STREAM_THREAD;
    boolean disk = r.fault() == FaultCampaign.Fault.KAFKA_DISK_FULL;
    Section.Builder s =
        Section.builder(
                broker
                    ? "fault-campaign-broker"
                    : crash
                        ? "fault-campaign-crash"
                        : disk ? "fault-campaign-kafka-disk" : "fault-campaign",
                disk
                    ? String.format(
                        "Kafka's log directory full: %,d events, data/kafka on a %d MB tmpfs",
                        r.events(), FaultCampaign.DISK_FULL_MB)
                    : broker
                        ? String.format(
                            "Broker restarts: %,d events, %d restarts of the broker under a running ledger",
                            r.events(), r.kills())
                        : crash
                            ? String.format(
                                "Stream-thread crashes: %,d events, %d injected crashes of a stream thread",
                                r.events(), r.planned())
                            : String.format(
                                "Kill campaign: %,d events, %d kill -9", r.events(), r.kills()))
            .command(command)
            .startedAt(java.time.Instant.now().minus(r.took()));
    sizes.forEach(s::size);
    if (disk) {
      CampaignReport.FaultPoint halt = r.faultPoints().isEmpty() ? null : r.faultPoints().get(0);
      s.row(
          new Row(
              "the tmpfs fills; the broker halts ledger up; restarted with "
                  + FaultCampaign.DISK_GROWN_MB
                  + " MB on the same data",
              r.kills() == 1 ? "halted" : "did not halt",
              halt == null
                  ? ""
                  : String.format(
                      "after %,d events sent, %,d acknowledged, at %.0f s; restart until processing again (/health up): %s s",
                      halt.sent(),
                      halt.point(),
                      halt.atSeconds(),
                      r.restartSeconds().stream().map(d -> String.format("%.1f", d)).toList()),
              "",
              "the broker halts the process; nothing acknowledged is lost",
              r.kills() == 1 ? "met" : "MISSED"));
    }
    s.row(
        disk
            ? new Row(
                "events acknowledged before the halt, among the events below",
                halted(r),
                "",
                "",
                "each exactly once below",
                "")
            : crash
                ? new Row(
                    "stream thread throws at a seeded event (test-only hook), replaced by Kafka Streams",
                    r.kills() + " of " + r.planned() + " in the ledger's log",
                    "",
                    "",
                    "every planned crash happened",
                    r.kills() == r.planned() ? "met" : "MISSED")
                : new Row(
                    broker
                        ? "broker stopped and started again on its log directory, the ledger running"
                        : "kill -9 of ledger up, restarted on the same data",
                    r.kills() + " survived",
                    String.format(
                        "restart until processing again (/health up): %s s",
                        r.restartSeconds().stream().map(d -> String.format("%.1f", d)).toList()),
                    "",
                    "every restart processing again",
                    "met"));
    if (!r.faultPoints().isEmpty() && !disk) {
      s.row(
          new Row(
              "where the faults fell: events processed (of all replayed) when each hit",
              r.faultPoints().stream()
                  .map(p -> String.format("%.0f%%", 100.0 * p.processed() / r.events()))
                  .toList()
                  .toString(),
              r.faultPoints().stream()
                  .map(
                      p ->
                          String.format(
                              "%,d processed, %,d sent, at %.0f s",
                              p.processed(), p.sent(), p.atSeconds()))
                  .toList()
                  .toString(),
              "",
              "spread over the whole processing (seeded points in events processed)",
              ""));
    }
    s.row(
        new Row(
            "events replayed (acknowledged by Kafka)",
            String.format("%,d", r.events()),
            String.format("%,d sent again after a failed send", r.resent()),
            "",
            "",
            ""));
    row(s, "audit records on ledger.audit", r.auditTopic());
    row(s, "audit records in the index (GET /v1/audit?format=ndjson)", r.index());
    row(s, "records in the notary's log (a full export per tenant)", r.notary());
    s.row(
        new Row(
            "revocation notices on ledger.revocations",
            String.format("%,d expected", r.revocationsExpected()),
            r.revocationsMissing() + " missing, " + r.revocationsDuplicated() + " duplicated",
            "",
            "none missing or duplicated",
            r.revocationsMissing() == 0 && r.revocationsDuplicated() == 0 ? "met" : "MISSED"));
    s.row(
        new Row(
            "exports verified (signature, every leaf, range proof)",
            r.exportsVerified() + " tenants",
            r.exportProblems().isEmpty() ? "" : r.exportProblems().toString(),
            "",
            "every tenant",
            r.exportProblems().isEmpty() ? "met" : "MISSED"));
    s.note(
        "took "
            + r.took().toSeconds()
            + " s; seed "
            + r.seed()
            + " (the workload and the kill points)");
    return s.build();
  }

  private static String halted(CampaignReport r) {
    return r.faultPoints().isEmpty()
        ? "none"
        : String.format("%,d", r.faultPoints().get(0).point());
  }

  private static void row(Section.Builder s, String what, CampaignReport.Counts c) {
    s.row(countsRow(what, c, "events", "every event exactly once"));
  }

  /**
   * A row saying how many {@code unit} (events, tokens) a place holds exactly once, missing or more
   * than once, judged against {@code target} (met when none is missing or doubled).
   */
  public static Row countsRow(String what, CampaignReport.Counts c, String unit, String target) {
    return new Row(
        what,
        String.format("%,d %s exactly once", c.once(), unit),
        c.missing()
            + " missing, "
            + c.duplicated()
            + " twice or more"
            + (c.examples().isEmpty() ? "" : " e.g. " + c.examples()),
        "",
        target,
        c.exact() ? "met" : "MISSED");
  }
}
