package dev.ledger.bench.harness;

import java.util.ArrayList;
import java.util.List;

/** Renders result rows as a fixed-width terminal table or a Markdown table. */
public final class Table {

  static final List<String> HEADER =
      List.of("workload", "ledger", "baseline", "ledger vs baseline", "target", "verdict");

  private Table() {}

  static List<String> cells(Row r) {
    return List.of(r.workload(), r.ledger(), r.baseline(), r.ratio(), r.target(), r.verdict());
  }

  /** A fixed-width table with a header line. */
  public static String text(List<Row> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(HEADER);
    rows.forEach(r -> all.add(cells(r)));
    int[] width = new int[HEADER.size()];
    for (List<String> line : all) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : all) {
      out.append(' ');
      for (int i = 0; i < width.length; i++) {
        out.append(' ')
            .append(line.get(i))
            .append(" ".repeat(width[i] - line.get(i).length()))
            .append(" |");
      }
      out.setLength(out.length() - 1);
      out.append('\n');
    }
    return out.toString();
  }

  /** A Markdown table; pipes inside cells are escaped. */
  public static String markdown(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    line(out, HEADER);
    out.append('|').append("---|".repeat(HEADER.size())).append('\n');
    rows.forEach(r -> line(out, cells(r)));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> cells) {
    out.append('|');
    for (String c : cells) {
      out.append(' ').append(c.replace("|", "\\|")).append(" |");
    }
    out.append('\n');
  }
}
