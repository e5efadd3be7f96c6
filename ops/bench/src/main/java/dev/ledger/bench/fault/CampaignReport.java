package dev.ledger.bench.fault;

import java.time.Duration;
import java.util.List;

/**
 * What a fault campaign did and found. {@link #passed()}: every event has exactly one audit record
 * on {@code ledger.audit}, in the index and in the notary's log, every revocation notice that
 * should exist exists once, and every tenant's export verifies.
 *
 * @param fault what happened at each fault point
 * @param seed the seed of the workload and of the fault points
 * @param events events replayed (each acknowledged by Kafka at least once)
 * @param resent events sent again because their first send failed around a kill
 * @param kills faults survived: {@code kill -9}s of the ledger (each followed by a restart on the
 *     same data), or broker restarts under the running ledger
 * @param restartSeconds how long each restart took until the ledger said it was ready
 * @param auditTopic what {@code ledger.audit} holds, per event
 * @param index what {@code GET /v1/audit?format=ndjson} answers, per event
 * @param notary what the notary's log holds (a full export per tenant), per event
 * @param revocationsExpected tokens the workload revokes, directly or through an ancestor
 * @param revocationsMissing of which have no notice on {@code ledger.revocations}
 * @param revocationsDuplicated tokens with more than one notice
 * @param exportsVerified tenants whose export verified (signature, leaves, range proof)
 * @param exportProblems what the verifier said about the others
 * @param took the whole campaign
 */
public record CampaignReport(
    FaultCampaign.Fault fault,
    long seed,
    long events,
    long resent,
    int kills,
    List<Double> restartSeconds,
    Counts auditTopic,
    Counts index,
    Counts notary,
    long revocationsExpected,
    long revocationsMissing,
    long revocationsDuplicated,
    int exportsVerified,
    List<String> exportProblems,
    Duration took) {

  /**
   * How many events one place holds once, not at all, or more than once.
   *
   * @param once events with exactly one record
   * @param missing events with none
   * @param duplicated events with more than one
   * @param examples a few event ids of the last two kinds
   */
  public record Counts(long once, long missing, long duplicated, List<String> examples) {
    public boolean exact() {
      return missing == 0 && duplicated == 0;
    }
  }

  public boolean passed() {
    return auditTopic.exact()
        && index.exact()
        && notary.exact()
        && revocationsMissing == 0
        && revocationsDuplicated == 0
        && exportProblems.isEmpty();
  }
}
