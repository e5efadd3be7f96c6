package dev.ledger.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The published versions of one record's schema ({@code schemas/history/<version>/<Record>.avsc},
 * packaged as resources), for decoders of records written before the current version.
 */
final class SchemaHistory {

  /** Every folder of {@code schemas/history} that holds schemas; SchemasTest keeps this in step. */
  static final List<String> VERSIONS = List.of("v1", "v1.4", "v1.5", "v1.7", "v1.8");

  private SchemaHistory() {}

  /**
   * The published schemas of record {@code simpleName}, oldest first; empty for a record never
   * published.
   */
  static List<Schema> of(String simpleName) {
    List<Schema> out = new ArrayList<>();
    for (String version : VERSIONS) {
      String path = "/dev/ledger/schemas/history/" + version + "/" + simpleName + ".avsc";
      try (InputStream in = SchemaHistory.class.getResourceAsStream(path)) {
        if (in != null) {
          out.add(new Schema.Parser().parse(in));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }
    return out;
  }
}
