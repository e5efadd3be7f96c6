package dev.ledger.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.export.format.CsvFormat;
import dev.ledger.export.format.OcsfMapper;
import dev.ledger.export.log.LogReader;
import dev.ledger.export.merkle.Hashes;
import dev.ledger.export.merkle.RangeProof;
import dev.ledger.export.sign.Checkpoint;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * An export whose content is fixed ({@link Exporter#prepare}): write it with {@link #writeTo} as
 * often as needed. Writing streams the records from disk through fixed buffers: memory does not
 * grow with the number of records.
 */
public final class PreparedExport {

  /** The {@code format} member of an NDJSON export header. */
  public static final String FORMAT = "ledger-export/1";

  /** The member that makes a line the header. */
  public static final String HEADER = "ledger_export";

  /** The member that makes a line the trailer. */
  public static final String TRAILER = "ledger_export_end";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PROGRESS_EVERY = 10_000;

  private final Path root;
  private final ExportRequest request;
  private final Checkpoint checkpoint;
  private final long begin;
  private final long end;
  private final RangeProof range;
  private final List<byte[]> consistency;

  PreparedExport(
      Path root,
      ExportRequest request,
      Checkpoint checkpoint,
      long begin,
      long end,
      RangeProof range,
      List<byte[]> consistency) {
    this.root = root;
    this.request = request;
    this.checkpoint = checkpoint;
    this.begin = begin;
    this.end = end;
    this.range = range;
    this.consistency = consistency;
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /** Index of the first exported leaf. */
  public long firstLeaf() {
    return begin;
  }

  /** How many records the export holds. */
  public long records() {
    return end - begin;
  }

  public String contentType() {
    return request.format().contentType();
  }

  /** A file name such as {@code ledger-acme-0-1200.ndjson}. */
  public String fileName() {
    return "ledger-"
        + request.tenant()
        + "-"
        + begin
        + "-"
        + end
        + "."
        + request.format().extension();
  }

  /**
   * Writes the export to {@code out} (flushed, not closed), telling {@code progress} as it goes;
   * returns the number of records written.
   */
  public long writeTo(OutputStream out, ProgressListener progress) throws IOException {
    BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
    long total = records();
    long[] written = {0};
    try (LogReader reader =
        LogReader.open(root, request.tenant())
            .orElseThrow(
                () -> new IOException("the log of " + request.tenant() + " disappeared"))) {
      switch (request.format()) {
        case NDJSON -> line(buffered, JSON.writeValueAsString(header()));
        case CSV -> buffered.write(CsvFormat.headerRow().getBytes(StandardCharsets.UTF_8));
        case OCSF -> {}
      }
      reader.forEach(
          begin,
          end,
          (leaf, data) -> {
            writeRecord(buffered, leaf, data);
            if (++written[0] % PROGRESS_EVERY == 0) {
              progress.progress(written[0], total);
            }
          });
      if (request.format() == ExportFormat.NDJSON) {
        ObjectNode trailer = JSON.createObjectNode();
        trailer.putObject(TRAILER).put("count", written[0]);
        line(buffered, JSON.writeValueAsString(trailer));
      }
    }
    buffered.flush();
    progress.progress(written[0], total);
    return written[0];
  }

  private void writeRecord(OutputStream out, long leaf, byte[] data) throws IOException {
    String leafHash = Hashes.hex(Hashes.leaf(data));
    switch (request.format()) {
      case NDJSON -> {
        // The stored leaf data is already {"committed_at":...,"record":{...}}: splice the index and
        // hash in front instead of parsing and re-serialising a million records.
        out.write(
            ("{\"leaf_index\":" + leaf + ",\"leaf_hash\":\"" + leafHash + "\",")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(data, 1, data.length - 1);
        out.write('\n');
      }
      case CSV -> {
        JsonNode leafJson = JSON.readTree(data);
        out.write(
            CsvFormat.row(
                    leafJson.path("record"), leaf, leafJson.path("committed_at").asText(), leafHash)
                .getBytes(StandardCharsets.UTF_8));
      }
      case OCSF -> {
        JsonNode leafJson = JSON.readTree(data);
        line(
            out,
            JSON.writeValueAsString(
                OcsfMapper.map(
                    leafJson.path("record"), leaf, leafJson.path("committed_at").asText())));
      }
    }
  }

  private ObjectNode header() {
    ObjectNode line = JSON.createObjectNode();
    ObjectNode h = line.putObject(HEADER);
    h.put("format", FORMAT);
    h.put("tenant", request.tenant());
    h.put("from", request.from() == null ? null : request.from().toString());
    h.put("to", request.to() == null ? null : request.to().toString());
    h.put("first_leaf", begin);
    h.put("end_leaf", end);
    h.set("checkpoint", checkpoint.toJson());
    ObjectNode proof = h.putObject("range_proof");
    hashes(proof.putArray("left"), range.left());
    hashes(proof.putArray("right"), range.right());
    if (consistency != null) {
      ObjectNode c = h.putObject("consistency");
      c.put("from_tree_size", request.previousTreeSize());
      hashes(c.putArray("proof"), consistency);
    }
    return line;
  }

  private static void hashes(ArrayNode array, List<byte[]> hashes) {
    hashes.forEach(hash -> array.add(Hashes.hex(hash)));
  }

  private static void line(OutputStream out, String json) throws IOException {
    out.write(json.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }
}
