package dev.ledger.bench.fault;

import java.time.Duration;
import java.util.List;

/**
 * What a fault campaign did and found. {@link #passed()}: every event has exactly one audit record
 * on {@code ledger.audit}, in the index and in the notary's log, every revocation notice that
 * should exist exists once, every tenant's export verifies, and every planned fault happened.
 *
 * @param fault what happened at each fault point
 * @param seed the seed of the workload and of the fault points
 * @param events events replayed (each acknowledged by Kafka at least once)
 * @param resent events sent again because their first send failed around a kill
 * @param planned faults planned (seeded points)
 * @param kills faults survived: {@code kill -9}s of the ledger (each followed by a restart on the
 *     same data), broker restarts under the running ledger, or stream-thread crashes the ledger's
 *     log shows (each thread replaced by Kafka Streams)
 * @param restartSeconds how long each restart took until the ledger said it was ready
 * @param faultPoints where each {@code kill -9} or broker restart fell (none for stream-thread
 *     crashes, which the ledger counts itself)
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
    int planned,
    int kills,
    List<Double> restartSeconds,
    List<FaultPoint> faultPoints,
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
   * Where one fault fell.
   *
   * @param point its seeded point, in events processed
   * @param processed events the ledger had processed when it happened (at least {@code point})
   * @param sent events the campaign had sent by then
   * @param atSeconds seconds since the campaign started
   */
  public record FaultPoint(long point, long processed, long sent, double atSeconds) {}

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

  /** This report with {@code kills} faults survived (those seen only at the end). */
  public CampaignReport withKills(int kills) {
    return new CampaignReport(
        fault,
        seed,
        events,
        resent,
        planned,
        kills,
        restartSeconds,
        faultPoints,
        auditTopic,
        index,
        notary,
        revocationsExpected,
        revocationsMissing,
        revocationsDuplicated,
        exportsVerified,
        exportProblems,
        took);
  }

  public boolean passed() {
    return kills == planned
        && auditTopic.exact()
        && index.exact()
        && notary.exact()
        && revocationsMissing == 0
        && revocationsDuplicated == 0
        && exportProblems.isEmpty();
  }
}
