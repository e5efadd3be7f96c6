package dev.ledger.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.export.VerificationReport.Kind;
import dev.ledger.export.VerificationReport.Problem;
import dev.ledger.export.format.AuditRecordJson;
import dev.ledger.export.format.LeafData;
import dev.ledger.export.merkle.CompactRange;
import dev.ledger.export.merkle.Hashes;
import dev.ledger.export.merkle.MerkleProofs;
import dev.ledger.export.merkle.RangeProof;
import dev.ledger.export.sign.Checkpoint;
import dev.ledger.export.sign.PublicKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an NDJSON export offline (docs/exports.md, "Verifying"): the header's checkpoint signature
 * with the auditor's public key, every record's leaf hash, leaf order and completeness, the count
 * in the trailer, that the records with the range proof reproduce the signed root, and, given the
 * auditor's previous checkpoint, that the log only grew since. Streams the file in O(log n) memory
 * (plus the open gaps of a damaged file, at most {@link #MAX_PROBLEMS}). Never throws on bad input:
 * every finding is a {@link Problem} in the report.
 */
public final class Verifier {

  /** Problems kept in a report; more are only counted. */
  public static final int MAX_PROBLEMS = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PublicKey key;
  private final Checkpoint previous;
  private final ProgressListener progress;
  private final List<Problem> problems = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private long omitted;

  private Verifier(PublicKey key, Checkpoint previous, ProgressListener progress) {
    this.key = key;
    this.previous = previous;
    this.progress = progress == null ? ProgressListener.NONE : progress;
  }

  /**
   * Verifies the export in {@code file} with the notary's public {@code key} (null: the signature
   * cannot be checked, which is a problem) against the auditor's {@code previous} checkpoint (null:
   * none). A file that cannot be read is a problem too.
   */
  public static VerificationReport verify(
      Path file, PublicKey key, Checkpoint previous, ProgressListener progress) {
    try (InputStream in = Files.newInputStream(file)) {
      return verify(in, key, previous, progress);
    } catch (IOException e) {
      Verifier v = new Verifier(key, previous, progress);
      v.problem(Kind.TRUNCATED, "cannot read " + file + ": " + e.getMessage());
      return v.report(0, null, null);
    }
  }

  /**
   * As {@link #verify(Path, PublicKey, Checkpoint, ProgressListener)}, from a stream (not closed).
   */
  public static VerificationReport verify(
      InputStream in, PublicKey key, Checkpoint previous, ProgressListener progress) {
    return new Verifier(key, previous, progress)
        .run(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16));
  }

  /**
   * Reads a checkpoint to compare against: a file holding a checkpoint's JSON, or an earlier export
   * (its header's checkpoint). Throws {@link IllegalArgumentException} saying why it is neither.
   */
  public static Checkpoint readCheckpoint(Path file) throws IOException {
    String first;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      first = r.readLine();
    }
    try {
      JsonNode json = JSON.readTree(first == null ? "" : first);
      if (json != null && json.has(PreparedExport.HEADER)) {
        json = json.get(PreparedExport.HEADER).get("checkpoint");
      }
      return Checkpoint.fromJson(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          file + " is neither a checkpoint nor an export: " + e.getOriginalMessage(), e);
    }
  }

  /** What the body's lines have shown so far: one per verification. */
  private static final class Scan {
    final CompactRange range;
    final LeafOrder order;
    long lineNo = 1;
    long records;
    long amendments;
    Instant previousCommit;
    boolean trailer;

    Scan(CompactRange range, LeafOrder order) {
      this.range = range;
      this.order = order;
    }
  }

  private VerificationReport run(BufferedReader reader) {
    long lineNo = 0;
    long records = 0;
    Header header = null;
    try {
      String text = reader.readLine();
      lineNo = 1;
      header = text == null ? null : header(text);
      if (header == null) {
        if (text == null) {
          problem(Kind.TRUNCATED, "file truncated: it is empty");
        }
        return report(0, null, null);
      }
      checkSignatures(header);
      Scan scan =
          new Scan(
              startRange(header), new LeafOrder(header.firstLeaf, MAX_PROBLEMS, this::problem));
      try {
        while ((text = reader.readLine()) != null) {
          scan.lineNo++;
          line(header, scan, text);
        }
      } finally {
        lineNo = scan.lineNo;
        records = scan.records;
      }
      finish(header, scan);
    } catch (IOException e) {
      problem(Kind.TRUNCATED, "cannot read past line " + lineNo + ": " + e.getMessage());
    } catch (RuntimeException e) {
      // A verifier reports; it does not crash on whatever a damaged file holds.
      problem(Kind.MALFORMED, "line " + lineNo + ": cannot be checked: " + e);
    }
    return report(
        records, header == null ? null : header.tenant, header == null ? null : header.checkpoint);
  }

  /** One line after the header: a record, the trailer, or something that is neither. */
  private void line(Header header, Scan scan, String text) {
    long lineNo = scan.lineNo;
    JsonNode line = parse(text, lineNo);
    if (line == null) {
      return;
    }
    if (scan.trailer) {
      problem(Kind.MALFORMED, "line " + lineNo + ": content after the trailer");
    } else if (line.has(PreparedExport.TRAILER)) {
      scan.trailer = true;
      checkTrailer(line.get(PreparedExport.TRAILER), scan.records, lineNo);
    } else {
      record(header, scan, line);
    }
  }

  private void checkTrailer(JsonNode trailer, long records, long lineNo) {
    JsonNode count = trailer.get("count");
    long stated = count != null && count.canConvertToExactIntegral() ? count.longValue() : -1;
    if (stated != records) {
      problem(
          Kind.TRUNCATED,
          "line "
              + lineNo
              + ": the trailer says "
              + (stated < 0 ? "?" : stated)
              + " records, the file has "
              + records);
    }
  }

  /** A record line: its leaf hash, its place in the tree, its scope, its order. */
  private void record(Header header, Scan scan, JsonNode line) {
    long lineNo = scan.lineNo;
    JsonNode index = line.get("leaf_index");
    JsonNode committed = line.get("committed_at");
    JsonNode record = line.get("record");
    if (index == null
        || !index.canConvertToExactIntegral()
        || committed == null
        || !committed.isTextual()
        || record == null
        || !record.isObject()) {
      problem(
          Kind.MALFORMED,
          "line " + lineNo + ": not a record line (needs leaf_index, committed_at, record)");
      return;
    }
    scan.records++;
    long leaf = index.longValue();
    byte[] leafHash = leafHash(committed.textValue(), record, line.get("leaf_hash"), leaf, lineNo);
    if (scan.range != null) {
      scan.range.appendLeaf(leafHash);
    }
    scan.previousCommit =
        checkScope(header, record, committed.textValue(), scan.previousCommit, lineNo);
    if (AuditRecordJson.isAmendment(record)) {
      scan.amendments++;
      checkAmendment(record.get("amends"), lineNo);
    }
    scan.order.accept(leaf, lineNo);
    if (scan.records % 10_000 == 0) {
      progress.progress(scan.records, header.endLeaf - header.firstLeaf);
    }
  }

  /** The record's leaf hash, checked against the one the line states (if it states one). */
  private byte[] leafHash(
      String committed, JsonNode record, JsonNode stated, long leaf, long lineNo) {
    byte[] leafHash;
    try {
      leafHash = LeafData.hash(committed, record);
    } catch (IllegalArgumentException e) {
      problem(Kind.CHANGED, "line " + lineNo + ": record changed: " + e.getMessage());
      return Hashes.empty();
    }
    if (stated != null && !Hashes.hex(leafHash).equals(stated.asText())) {
      problem(
          Kind.CHANGED,
          "line "
              + lineNo
              + ": record changed: leaf "
              + leaf
              + " does not hash to its leaf_hash (a field was edited)");
    }
    return leafHash;
  }

  /** The file ended: what is missing, the trailer, the root, and a note on amendments. */
  private void finish(Header header, Scan scan) {
    scan.order.finish(header.endLeaf, scan.trailer ? scan.lineNo - 1 : scan.lineNo);
    if (!scan.trailer) {
      problem(Kind.TRUNCATED, "file truncated: no trailer after line " + scan.lineNo);
    }
    checkRoot(header, scan.range);
    if (scan.amendments > 0) {
      notes.add(
          scan.amendments
              + " of the records are amendments (a verdict changed by an earlier event that arrived "
              + "later): an event's verdict now is its record's violations with the added and removed of its "
              + "amendments applied in leaf order; its record shows the verdict as first recorded");
    }
    progress.progress(scan.records, header.endLeaf - header.firstLeaf);
  }

  /** What the header line says. */
  private record Header(
      String tenant,
      Instant from,
      Instant to,
      long firstLeaf,
      long endLeaf,
      Checkpoint checkpoint,
      RangeProof range,
      Long consistencyFrom,
      List<byte[]> consistency) {}

  private Header header(String text) {
    JsonNode line = parse(text, 1);
    JsonNode h = line == null ? null : line.get(PreparedExport.HEADER);
    if (h == null || !h.isObject()) {
      if (line != null) {
        problem(
            Kind.MALFORMED,
            "line 1: not a ledger export header (only ndjson exports carry proofs)");
      }
      return null;
    }
    if (!PreparedExport.FORMAT.equals(h.path("format").asText())) {
      problem(
          Kind.MALFORMED,
          "line 1: unsupported export format "
              + h.path("format")
              + ", expected "
              + PreparedExport.FORMAT);
      return null;
    }
    try {
      Checkpoint checkpoint = Checkpoint.fromJson(h.get("checkpoint"));
      long first = integer(h, "first_leaf");
      long end = integer(h, "end_leaf");
      RangeProof range =
          new RangeProof(
              hashes(h.path("range_proof").get("left"), "range_proof.left"),
              hashes(h.path("range_proof").get("right"), "range_proof.right"));
      JsonNode c = h.get("consistency");
      Long cFrom = c == null || c.isNull() ? null : integer(c, "from_tree_size");
      List<byte[]> cProof = cFrom == null ? null : hashes(c.get("proof"), "consistency.proof");
      return new Header(
          h.path("tenant").asText(),
          time(h.get("from")),
          time(h.get("to")),
          first,
          end,
          checkpoint,
          range,
          cFrom,
          cProof);
    } catch (RuntimeException e) {
      problem(Kind.MALFORMED, "line 1: bad header: " + e.getMessage());
      return null;
    }
  }

  private void checkSignatures(Header header) {
    Checkpoint c = header.checkpoint;
    if (!c.tenant().equals(header.tenant)) {
      problem(
          Kind.SCOPE,
          "line 1: the checkpoint is for tenant "
              + c.tenant()
              + ", the export for "
              + header.tenant);
    }
    if (key == null) {
      problem(
          Kind.KEY,
          "no public key given: the checkpoint signature (key " + c.keyId() + ") is not checked");
    } else {
      String given = PublicKeys.keyId(key);
      if (!given.equals(c.keyId())) {
        problem(
            Kind.KEY,
            "line 1: the checkpoint names key " + c.keyId() + ", not the given key " + given);
      }
      if (!c.verify(key)) {
        problem(Kind.SIGNATURE, "line 1: checkpoint signature invalid for key " + given);
      }
    }
    if (previous != null) {
      checkPrevious(header);
    } else if (header.consistencyFrom != null) {
      notes.add(
          "the export proves consistency with tree size "
              + header.consistencyFrom
              + ", not checked: no previous checkpoint given");
    }
  }

  private void checkPrevious(Header header) {
    Checkpoint c = header.checkpoint;
    if (key != null && !previous.verify(key)) {
      problem(
          Kind.SIGNATURE, "previous checkpoint signature invalid for key " + PublicKeys.keyId(key));
    }
    if (!previous.tenant().equals(c.tenant())) {
      problem(
          Kind.CONSISTENCY,
          "the previous checkpoint is for tenant " + previous.tenant() + ", not " + c.tenant());
      return;
    }
    long m = previous.treeSize();
    if (m > c.treeSize()) {
      problem(
          Kind.CONSISTENCY,
          "the previous checkpoint (tree_size "
              + m
              + ") is newer than the export's ("
              + c.treeSize()
              + "): the log shrank or the export is stale");
    } else if (header.consistencyFrom == null || header.consistencyFrom != m) {
      if (m == c.treeSize() && MessageDigest.isEqual(previous.root(), c.root())) {
        return;
      }
      problem(
          Kind.CONSISTENCY,
          "the export has no consistency proof from the previous checkpoint's tree_size "
              + m
              + (header.consistencyFrom == null
                  ? ""
                  : " (it has one from " + header.consistencyFrom + ")"));
    } else if (!MerkleProofs.verifyConsistency(
        m, c.treeSize(), previous.root(), c.root(), header.consistency)) {
      problem(
          Kind.CONSISTENCY,
          "the log is not an extension of the previous checkpoint (tree_size "
              + m
              + ", root "
              + previous.rootHash()
              + "): records committed before it were changed or removed");
    }
  }

  private CompactRange startRange(Header header) {
    if (header.firstLeaf < 0
        || header.firstLeaf > header.endLeaf
        || header.endLeaf > header.checkpoint.treeSize()) {
      problem(
          Kind.MALFORMED,
          "line 1: leaves "
              + header.firstLeaf
              + "-"
              + header.endLeaf
              + " are not within the checkpoint's tree_size "
              + header.checkpoint.treeSize());
      return null;
    }
    try {
      return header.range.start(header.firstLeaf);
    } catch (IllegalArgumentException e) {
      problem(Kind.MALFORMED, "line 1: bad range proof: " + e.getMessage());
      return null;
    }
  }

  private void checkRoot(Header header, CompactRange range) {
    if (range == null) {
      return;
    }
    try {
      byte[] root = header.range.finish(range, header.checkpoint.treeSize());
      if (!MessageDigest.isEqual(root, header.checkpoint.root())) {
        problem(
            Kind.ROOT,
            "the records do not reproduce the checkpoint's root hash (tree_size "
                + header.checkpoint.treeSize()
                + "): a record was changed, added, removed or moved");
      }
    } catch (IllegalArgumentException e) {
      problem(
          Kind.ROOT,
          "the records do not fit the checkpoint's tree (tree_size "
              + header.checkpoint.treeSize()
              + "): "
              + e.getMessage());
    }
  }

  /**
   * Checks tenant and period; returns the commit time, or the previous one if this one is
   * unreadable.
   */
  private Instant checkScope(
      Header header, JsonNode record, String committedAt, Instant previousCommit, long lineNo) {
    if (!header.tenant.equals(record.path("tenant").asText())) {
      problem(
          Kind.SCOPE,
          "line "
              + lineNo
              + ": a record of tenant "
              + record.path("tenant").asText()
              + " in an export of "
              + header.tenant);
    }
    Instant at;
    try {
      at = Instant.parse(committedAt);
    } catch (RuntimeException e) {
      problem(Kind.MALFORMED, "line " + lineNo + ": committed_at is not a timestamp");
      return previousCommit;
    }
    if ((header.from != null && at.isBefore(header.from))
        || (header.to != null && !at.isBefore(header.to))) {
      problem(
          Kind.SCOPE,
          "line " + lineNo + ": committed at " + committedAt + ", outside the export's period");
    }
    if (previousCommit != null && previousCommit.isAfter(at)) {
      problem(Kind.OUT_OF_ORDER, "line " + lineNo + ": committed before the line above it");
    }
    return at;
  }

  private JsonNode parse(String text, long lineNo) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        problem(Kind.MALFORMED, "line " + lineNo + ": not a JSON object");
        return null;
      }
      return node;
    } catch (JsonProcessingException e) {
      problem(
          Kind.MALFORMED, "line " + lineNo + ": not valid JSON (" + e.getOriginalMessage() + ")");
      return null;
    }
  }

  private static long integer(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.canConvertToExactIntegral()) {
      throw new IllegalArgumentException(name + " is missing or not an integer");
    }
    return v.longValue();
  }

  private static List<byte[]> hashes(JsonNode array, String name) {
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException(name + " is missing or not an array");
    }
    List<byte[]> out = new ArrayList<>();
    for (JsonNode h : array) {
      out.add(Hashes.unhex(h.asText()));
    }
    return out;
  }

  private static Instant time(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return Instant.parse(node.asText());
  }

  /**
   * An amendment names what it adds and removes (violation kinds) and when: the rest is hashed like
   * any record.
   */
  private void checkAmendment(JsonNode amends, long lineNo) {
    boolean kinds = true;
    for (String list : List.of("added", "removed")) {
      JsonNode v = amends.path(list);
      kinds &= v.isArray();
      for (JsonNode kind : v) {
        kinds &= kind.isTextual();
      }
    }
    if (!kinds || !amends.path("amended_at").isTextual()) {
      problem(
          Kind.MALFORMED,
          "line "
              + lineNo
              + ": an amendment needs added and removed (lists of violation kinds) "
              + "and amended_at");
    }
  }

  private void problem(Kind kind, String message) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(new Problem(kind, message));
    } else {
      omitted++;
    }
  }

  private VerificationReport report(long records, String tenant, Checkpoint checkpoint) {
    return new VerificationReport(records, tenant, checkpoint, problems, omitted, notes);
  }
}
