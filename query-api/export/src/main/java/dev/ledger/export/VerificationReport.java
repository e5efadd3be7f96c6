package dev.ledger.export;

import dev.ledger.export.sign.Checkpoint;
import java.util.List;

/**
 * What {@link Verifier} found. {@link #ok()} only when there is no problem at all.
 *
 * @param records record lines read
 * @param tenant the tenant the header names, null if it could not be read
 * @param checkpoint the export's checkpoint, null if it could not be read
 * @param problems every problem, in the order found, never null (at most {@link
 *     Verifier#MAX_PROBLEMS} are kept; {@code omitted} counts the rest)
 * @param omitted problems found beyond the ones kept
 * @param notes facts worth knowing that are not problems (what was and was not checked), never null
 */
public record VerificationReport(
    long records,
    String tenant,
    Checkpoint checkpoint,
    List<Problem> problems,
    long omitted,
    List<String> notes) {

  /** The kinds of problem, so callers and tests can tell them apart without parsing text. */
  public enum Kind {
    /** A line is not what the format says (not JSON, missing members). */
    MALFORMED,
    /** A record's content does not match its leaf hash. */
    CHANGED,
    /** A leaf of the range is not in the file. */
    MISSING,
    /** Records are not in leaf order, or a leaf appears twice. */
    OUT_OF_ORDER,
    /** The file ends early or its trailer disagrees with its content. */
    TRUNCATED,
    /** The records do not reproduce the signed root. */
    ROOT,
    /** A signature does not verify. */
    SIGNATURE,
    /** No key, or a different key from the one that signed. */
    KEY,
    /** A record outside the export's tenant or period. */
    SCOPE,
    /** The log is not an extension of the previous checkpoint. */
    CONSISTENCY
  }

  /**
   * One problem; {@code message} says where (line numbers, leaf indexes) and what.
   *
   * @param kind never null
   * @param message never null
   */
  public record Problem(Kind kind, String message) {
    @Override
    public String toString() {
      return message;
    }
  }

  public VerificationReport {
    problems = List.copyOf(problems);
    notes = List.copyOf(notes);
  }

  /**
   * True when the export is intact, signed by the given key, and consistent with the previous
   * checkpoint.
   */
  public boolean ok() {
    return problems.isEmpty();
  }

  /** Human-readable lines: a verdict, then each problem and note. */
  public List<String> lines() {
    List<String> out = new java.util.ArrayList<>();
    out.add(
        ok()
            ? "OK: "
                + records
                + " records of tenant "
                + tenant
                + " verified against checkpoint tree_size "
                + checkpoint.treeSize()
                + " root "
                + checkpoint.rootHash()
            : "FAILED: " + (problems.size() + omitted) + " problem(s)");
    problems.forEach(p -> out.add("  " + p.message()));
    if (omitted > 0) {
      out.add("  ... and " + omitted + " more");
    }
    notes.forEach(n -> out.add("  note: " + n));
    return out;
  }
}
