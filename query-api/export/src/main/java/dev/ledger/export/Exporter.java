package dev.ledger.export;

import dev.ledger.export.log.LogReader;
import dev.ledger.export.merkle.MerkleProofs;
import dev.ledger.export.merkle.RangeProof;
import dev.ledger.export.sign.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes exports from the integrity log directory (usually {@code data/integrity}); needs no running
 * notary, so the HTTP API and the command line use it alike. Thread-safe.
 *
 * <pre>{@code
 * ExportRequest request = ExportRequest.parse("acme", "2026-11-01T00:00:00Z", null, "ndjson", null);
 * PreparedExport export = new Exporter(dataDir.resolve("integrity")).prepare(request);
 * export.writeTo(out, ProgressListener.printingTo(System.err, "exported"));
 * }</pre>
 */
public final class Exporter {

  private final Path root;

  /** An exporter over the integrity log under {@code root} (not null). */
  public Exporter(Path root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  /**
   * Fixes what an export will hold: the tenant's newest checkpoint, the leaves committed in the
   * request's period below its tree size, and the proofs. Throws {@link ExportException} ({@code
   * NOT_FOUND}) when the tenant has no checkpoint yet, ({@code BAD_REQUEST}) when the previous tree
   * size is larger than the checkpoint's; {@link IOException} when the log cannot be read.
   */
  public PreparedExport prepare(ExportRequest request) throws IOException {
    Optional<LogReader> opened = LogReader.open(root, request.tenant());
    if (opened.isEmpty()) {
      throw notFound(request.tenant());
    }
    try (LogReader reader = opened.get()) {
      Checkpoint checkpoint =
          reader.latestCheckpoint().orElseThrow(() -> notFound(request.tenant()));
      long n = checkpoint.treeSize();
      Long previous = request.previousTreeSize();
      if (previous != null && previous > n) {
        throw new ExportException(
            ExportException.Kind.BAD_REQUEST,
            "invalid export request",
            List.of(
                "previous_tree_size: "
                    + previous
                    + " is larger than the newest checkpoint's tree size "
                    + n));
      }
      long begin =
          request.from() == null ? 0 : reader.firstAtOrAfter(request.from().toEpochMilli(), n);
      long end = request.to() == null ? n : reader.firstAtOrAfter(request.to().toEpochMilli(), n);
      end = Math.max(begin, end);
      RangeProof range = RangeProof.of(reader, begin, end, n);
      List<byte[]> consistency =
          previous == null ? null : MerkleProofs.consistency(reader, previous, n);
      return new PreparedExport(root, request, checkpoint, begin, end, range, consistency);
    }
  }

  private static ExportException notFound(String tenant) {
    return new ExportException(
        ExportException.Kind.NOT_FOUND,
        "no signed checkpoint for tenant " + tenant + " yet",
        List.of(
            "tenant: the notary has not signed a checkpoint for "
                + tenant
                + " (no audit records, or none yet)"));
  }
}
