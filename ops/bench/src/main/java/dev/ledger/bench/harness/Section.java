package dev.ledger.bench.harness;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one benchmark run: what ran (command, code commit, sizes, machine, time), the
 * table, notes that explain the numbers, and the raw numbers behind every cell. {@link
 * ReportWriter} turns it into one section of BENCHMARKS.md; {@link #toText()} prints it.
 *
 * <p>Build with {@link #builder(String, String)}; nothing is null.
 */
public record Section(
    String id,
    String title,
    String command,
    String code,
    Instant startedAt,
    Instant finishedAt,
    Machine machine,
    Map<String, String> sizes,
    List<Row> rows,
    List<String> notes,
    List<String> raw) {

  public Section {
    sizes =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(sizes)); // keeps the order sizes were given in
    rows = List.copyOf(rows);
    notes = List.copyOf(notes);
    raw = List.copyOf(raw);
  }

  public static Builder builder(String id, String title) {
    return new Builder(id, title);
  }

  /** Plain text for the terminal: a fixed-width table, then notes. */
  public String toText() {
    StringBuilder out = new StringBuilder();
    out.append("== ").append(title).append(" ==\n");
    out.append(Table.text(rows));
    for (String note : notes) {
      out.append("  * ").append(note).append('\n');
    }
    return out.toString();
  }

  /** Collects a section while a benchmark runs. */
  public static final class Builder {
    private final String id;
    private final String title;
    private String command = "";
    // The code that runs is the code checked out when the run starts (the launcher runs in the
    // repository).
    private String code = CodeCommit.of(java.nio.file.Path.of("."));
    private Instant startedAt = Instant.now();
    private final Machine machine = Machine.current();
    private final Map<String, String> sizes = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> raw = new ArrayList<>();

    private Builder(String id, String title) {
      this.id = id;
      this.title = title;
    }

    public Builder command(String v) {
      command = v;
      return this;
    }

    /**
     * When the run began, for a section built after it ended (default: when the builder was made).
     */
    public Builder startedAt(Instant v) {
      startedAt = v;
      return this;
    }

    public Builder code(String v) {
      code = v;
      return this;
    }

    public Builder size(String name, Object value) {
      sizes.put(name, String.valueOf(value));
      return this;
    }

    public Builder row(Row v) {
      rows.add(v);
      return this;
    }

    public Builder note(String v) {
      notes.add(v);
      return this;
    }

    public Builder raw(String v) {
      raw.add(v);
      return this;
    }

    public Section build() {
      return new Section(
          id, title, command, code, startedAt, Instant.now(), machine, sizes, rows, notes, raw);
    }
  }
}
