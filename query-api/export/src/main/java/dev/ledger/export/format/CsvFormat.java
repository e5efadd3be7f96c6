package dev.ledger.export.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One CSV row per audit record (RFC 4180: comma separated, CRLF line ends, fields quoted when they
 * hold a comma, quote, CR or LF). List fields are flattened: {@code violations} joined by {@code
 * ;}, {@code chain}, {@code attributes} and {@code amends} as their JSON text. The first row names
 * the columns ({@link #HEADER}); {@code txn} and {@code acti} (contract v1.7) come before {@code
 * attributes}, empty when the chain carries none, so {@code amends} stays the last column. A row
 * with {@code amends} empty is an audit record as first written; one with {@code amends} is an
 * amendment of the record with its {@code event_id}, and its {@code violations} are the kinds it
 * adds.
 *
 * <p>A cell a spreadsheet would evaluate as a formula (one starting with {@code =}, {@code +},
 * {@code -}, {@code @}, TAB or CR) is neutralized as OWASP recommends: prefixed with a single quote
 * and quoted. Producers control principal, actor, resource, action, reason and source, so a cell
 * like {@code =HYPERLINK(...)} must never run in an auditor's spreadsheet. The proofs are not
 * affected: leaf hashes are over the record's canonical JSON, which the NDJSON export carries.
 */
public final class CsvFormat {

  /** The column names, in order. */
  public static final List<String> HEADER =
      List.of(
          "leaf_index",
          "committed_at",
          "leaf_hash",
          "event_id",
          "type",
          "occurred_at",
          "recorded_at",
          "tenant",
          "token_id",
          "principal",
          "actor",
          "chain",
          "resource",
          "action",
          "outcome",
          "violations",
          "root_id",
          "parent_id",
          "source",
          "reason",
          "request_id",
          "txn",
          "acti",
          "attributes",
          "amends");

  /** First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
  private static final String FORMULA_STARTS = "=+-@\t\r";

  private CsvFormat() {}

  /** The header row, with its line end. */
  public static String headerRow() {
    return row(HEADER);
  }

  /**
   * The row for {@code record}, leaf {@code leaf} committed at {@code committedAt}, with its leaf
   * hash.
   */
  public static String row(JsonNode record, long leaf, String committedAt, String leafHash) {
    List<String> cells = new ArrayList<>(HEADER.size());
    cells.add(Long.toString(leaf));
    cells.add(committedAt);
    cells.add(leafHash);
    for (String column : HEADER.subList(3, HEADER.size())) {
      JsonNode v = record.get(column);
      if (v == null || v.isNull()) {
        cells.add("");
      } else if (column.equals("violations")) {
        List<String> kinds = new ArrayList<>();
        v.forEach(k -> kinds.add(k.asText()));
        cells.add(String.join(";", kinds));
      } else if (v.isContainerNode()) {
        cells.add(CanonicalJson.string(v));
      } else {
        cells.add(v.asText());
      }
    }
    return row(cells);
  }

  private static String row(List<String> cells) {
    StringBuilder out = new StringBuilder(256);
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String c = cells.get(i);
      boolean formula = !c.isEmpty() && FORMULA_STARTS.indexOf(c.charAt(0)) >= 0;
      if (formula) {
        c = "'" + c;
      }
      if (formula
          || c.indexOf(',') >= 0
          || c.indexOf('"') >= 0
          || c.indexOf('\n') >= 0
          || c.indexOf('\r') >= 0) {
        out.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        out.append(c);
      }
    }
    return out.append("\r\n").toString();
  }
}
