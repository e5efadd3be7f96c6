package dev.ledger.bench.postgres;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL with {@code :name} parameters, turned into JDBC's positional {@code ?}: the baseline's ingest
 * statements use the same value in several places, which positional binding makes error-prone. A
 * cast ({@code ::text}) is not a parameter.
 *
 * @param jdbc the statement with {@code ?} placeholders
 * @param names the parameter name of each placeholder, in order
 */
record NamedSql(String jdbc, List<String> names) {

  private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([a-z_][a-z0-9_]*)");

  NamedSql {
    names = List.copyOf(names);
  }

  static NamedSql of(String sql) {
    Matcher m = PARAMETER.matcher(sql);
    StringBuilder jdbc = new StringBuilder();
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
      m.appendReplacement(jdbc, "?");
    }
    m.appendTail(jdbc);
    return new NamedSql(jdbc.toString(), names);
  }

  /**
   * Binds {@code values} by name; a missing or null value binds SQL NULL; a String[] binds a
   * text[].
   */
  void bind(PreparedStatement statement, Map<String, ?> values) throws SQLException {
    for (int i = 0; i < names.size(); i++) {
      Object v = values.get(names.get(i));
      if (v == null) {
        statement.setNull(i + 1, Types.VARCHAR);
      } else if (v instanceof String[] array) {
        Array a = statement.getConnection().createArrayOf("text", array);
        statement.setArray(i + 1, a);
      } else {
        statement.setObject(i + 1, v);
      }
    }
  }
}
