package dev.ledger.bench.fuzz;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a fuzz run tried and found. {@link #passed()} is the verdict: no 5xx and no request without
 * an answer, every record on {@code ledger.events} accounted for (an audit record of its event, or
 * a DLQ record naming it with a reason), no event with two audit records, no partition stuck, and a
 * tenant that posts after the run is still processed.
 *
 * @param seed the seed: the same seed makes the same inputs
 * @param inputs inputs tried, by kind ({@code POST /v1/events}, each GET route, raw records)
 * @param statuses answers by route and status
 * @param serverErrors a reproducer of each 5xx or request without answer (at most 50 kept)
 * @param serverErrorCount how many there were in all
 * @param eventRecords records on {@code ledger.events} after the run (raw ones and those the API
 *     accepted)
 * @param dlqRecords of which reached {@code ledger.dlq}
 * @param dlqReasons DLQ records by reason
 * @param audited of which have their event's audit record (or an earlier copy's)
 * @param unaccounted a reproducer of each record neither audited nor in the DLQ (at most 50 kept)
 * @param unaccountedCount how many in all
 * @param duplicateAudits events (tenant, token, event id: CONTRACT.md v1.10) with two audit records
 *     (a broken exactly-once)
 * @param duplicated each of them with its audit records (at most 50 kept)
 * @param dlqWithoutReason DLQ records from {@code ledger.events} without a reason header
 * @param stuckPartitions partitions of {@code ledger.events} the stream processor had not committed
 *     past at the end
 * @param canaryProcessed whether another tenant's quickstart was processed after the run
 * @param took how long the run took
 */
public record FuzzReport(
    long seed,
    Map<String, Long> inputs,
    Map<String, Map<Integer, Long>> statuses,
    List<String> serverErrors,
    long serverErrorCount,
    long eventRecords,
    long dlqRecords,
    Map<String, Long> dlqReasons,
    long audited,
    List<String> unaccounted,
    long unaccountedCount,
    long duplicateAudits,
    List<String> duplicated,
    long dlqWithoutReason,
    List<Integer> stuckPartitions,
    boolean canaryProcessed,
    Duration took) {

  public long totalInputs() {
    return inputs.values().stream().mapToLong(Long::longValue).sum();
  }

  public boolean passed() {
    return serverErrorCount == 0
        && unaccountedCount == 0
        && duplicateAudits == 0
        && dlqWithoutReason == 0
        && stuckPartitions.isEmpty()
        && canaryProcessed;
  }
}
