package dev.ledger.bench.fuzz;

import dev.ledger.bench.harness.Row;
import dev.ledger.bench.harness.Section;
import java.util.Map;

/**
 * A fuzz run as a section of RELIABILITY.md: inputs by kind, answers by status, what became of
 * every record.
 */
public final class FuzzSection {

  private FuzzSection() {}

  public static Section of(FuzzReport r, String command, Map<String, String> sizes) {
    Section.Builder s =
        Section.builder(
                "fuzz",
                "Fuzz run: " + String.format("%,d", r.totalInputs()) + " inputs, seed " + r.seed())
            .command(command)
            .startedAt(java.time.Instant.now().minus(r.took()));
    sizes.forEach(s::size);
    r.inputs()
        .forEach(
            (kind, n) -> {
              Map<Integer, Long> st = r.statuses().getOrDefault(kind, Map.of());
              long bad =
                  st.entrySet().stream()
                      .filter(
                          e ->
                              (e.getKey() >= 500 || e.getKey() == 0)
                                  && !FuzzRun.contractAnswer(kind, e.getKey()))
                      .mapToLong(Map.Entry::getValue)
                      .sum();
              s.row(
                  new Row(
                      kind,
                      String.format("%,d inputs", n),
                      st.isEmpty() ? "" : "answers " + st,
                      "",
                      kind.startsWith("raw") ? "" : "no 5xx, every request answered",
                      kind.startsWith("raw") ? "" : bad == 0 ? "met" : "MISSED: " + bad));
            });
    s.row(
        new Row(
            "records on ledger.events (raw and accepted over HTTP)",
            String.format("%,d", r.eventRecords()),
            String.format("%,d audited, %,d in ledger.dlq", r.audited(), r.dlqRecords()),
            "",
            "every one audited or in the DLQ with a reason",
            r.unaccountedCount() == 0 && r.dlqWithoutReason() == 0
                ? "met"
                : "MISSED: "
                    + r.unaccountedCount()
                    + " unaccounted, "
                    + r.dlqWithoutReason()
                    + " without reason"));
    s.row(
        new Row(
            "events (tenant, token, event id) with two audit records",
            Long.toString(r.duplicateAudits()),
            "",
            "",
            "0",
            r.duplicateAudits() == 0 ? "met" : "MISSED"));
    s.row(
        new Row(
            "partitions of ledger.events not committed to their end",
            r.stuckPartitions().toString(),
            "",
            "",
            "none",
            r.stuckPartitions().isEmpty() ? "met" : "MISSED"));
    s.row(
        new Row(
            "another tenant's chain and revocation processed after the run",
            r.canaryProcessed() ? "yes" : "no",
            "",
            "",
            "yes",
            r.canaryProcessed() ? "met" : "MISSED"));
    s.note("DLQ reasons of the records above: " + r.dlqReasons());
    s.note(
        "GET /health answers 503 by contract while a part of the ledger is not up: shown in its answers, not"
            + " counted as a failure");
    s.note(
        "took "
            + r.took().toSeconds()
            + " s; the same seed makes the same inputs (a cursor input mutates a cursor the"
            + " ledger answered during the run)");
    r.serverErrors().forEach(e -> s.raw("5xx or no answer: " + e));
    r.unaccounted().forEach(e -> s.raw("unaccounted: " + e));
    r.duplicated().forEach(e -> s.raw("two audit records: " + e));
    return s.build();
  }
}
