package dev.ledger.bench.query;

import dev.ledger.bench.harness.ClosedLoop;
import dev.ledger.bench.harness.Dirs;
import dev.ledger.bench.harness.Format;
import dev.ledger.bench.harness.Row;
import dev.ledger.bench.harness.Section;
import dev.ledger.bench.ledger.ApiCalls;
import dev.ledger.bench.ledger.BenchLedger;
import dev.ledger.bench.postgres.BaselineLoader;
import dev.ledger.bench.postgres.BaselineQueries;
import dev.ledger.bench.postgres.BaselineSchema;
import dev.ledger.bench.postgres.PostgresServer;
import dev.ledger.index.LedgerIndex;
import dev.ledger.ops.run.LedgerNode;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.TokenNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Query latency on the same audit trail in the ledger (through its HTTP API, JSON included) and in
 * PostgreSQL (JDBC, the SQL of {@link BaselineQueries}), with the same number of concurrent clients.
 *
 * <p>The index is bulk-loaded directly through {@link LedgerIndex} (as a restored index would be),
 * not through the pipeline: pushing 10 million records through Kafka Streams is the throughput
 * benchmark's job, and would take longer than the whole suite may.
 */
public final class QueryBench {

  /**
   * Sizes and load.
   *
   * @param dataset the audit trail
   * @param clients concurrent clients
   * @param warmup per query, not recorded
   * @param duration per query, recorded
   * @param postgres whether to run the baseline
   */
  public record Options(QueryDataset dataset, int clients, Duration warmup, Duration duration, boolean postgres) {}

  private final Options options;
  private final PrintStream out;

  public QueryBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** Runs the ledger side, then the baseline, and returns the section. */
  public Section run(String command) throws Exception {
    QueryDataset d = options.dataset();
    // One section per size, so the 1M and 10M results stand side by side.
    Section.Builder section = Section.builder("queries-" + d.records() + (d.tenants() == 1 ? "" : "-tenants-" + d.tenants()),
        String.format(Locale.ROOT, "Queries on %,d audit records%s: p50 / p99 / max with concurrent clients",
            d.records(), d.tenants() == 1 ? "" : " in " + d.tenants() + " tenants"))
        .command(command).size("audit records", String.format(Locale.ROOT, "%,d", d.records()))
        .size("tenants", d.tenants()).size("large tree descendants", d.bigTree())
        .size("hot agent records", d.hotRecords()).size("clients", options.clients())
        .size("per query", options.warmup().toSeconds() + " s warm-up + " + options.duration().toSeconds() + " s");
    Map<QueryKind, ClosedLoop.Result> ledger = runLedger(d, section);
    Map<QueryKind, ClosedLoop.Result> baseline = new EnumMap<>(QueryKind.class);
    if (!options.postgres()) {
      section.note("PostgreSQL baseline skipped (--no-postgres).");
    } else if (PostgresServer.binaries().isEmpty()) {
      section.note(PostgresServer.installHint() + "; baseline skipped.");
    } else {
      baseline = runPostgres(d, section);
    }
    for (QueryKind kind : QueryKind.values()) {
      ClosedLoop.Result l = ledger.get(kind);
      ClosedLoop.Result b = baseline.get(kind);
      section.row(new Row(kind.label(d), l.latency().summary() + errors(l),
          b == null ? "" : b.latency().summary() + errors(b),
          b == null ? "" : Format.ratio(b.latency().p99() / l.latency().p99()) + " (p99)",
          "p99 < 50 ms at 10M", Row.atMost(l.latency().p99(), 50, "ms")));
      section.raw("ledger   " + kind + ": " + l.raw());
      if (b != null) {
        section.raw("postgres " + kind + ": " + b.raw());
      }
    }
    section.note("Ledger: GET on the HTTP API (auth, Lucene, JSON) over keep-alive HTTP/1.1 from a Java client in the same"
        + " JVM; PostgreSQL: the same question as one prepared SQL statement over JDBC, every cell read. \"ledger vs"
        + " baseline\" is PostgreSQL's p99 divided by the ledger's: above 1 the ledger is faster.");
    section.note("The target (p99 under 50 ms) is set for 10 million records; with fewer records the verdict says how this"
        + " size did, not what 10 million would do.");
    return section.build();
  }

  private static String errors(ClosedLoop.Result r) {
    return r.errors() == 0 ? "" : " (" + r.errors() + " errors)";
  }

  private Map<QueryKind, ClosedLoop.Result> runLedger(QueryDataset d, Section.Builder section) throws Exception {
    Path dir = Files.createTempDirectory("ledger-bench-query-");
    try {
      long t0 = System.nanoTime();
      long[] counts = new long[2];
      // A bulk load needs no near-real-time refresh: refreshing every 25 ms would flush tiny segments all along.
      try (LedgerIndex index = LedgerIndex.open(dir.resolve("index"), Duration.ofMinutes(10))) {
        d.emit(new QueryDataset.Sink() {
          @Override
          public void token(TokenNode token) throws Exception {
            index.putToken(token);
            counts[0]++;
          }

          @Override
          public void audit(AuditRecord record) throws Exception {
            index.putAudit(record);
            counts[1]++;
          }
        });
        index.commit(Map.of());
      }
      double loadSeconds = (System.nanoTime() - t0) / 1e9;
      long indexBytes = Dirs.sizeOf(dir.resolve("index"));
      out.printf("  ledger index loaded: %,d tokens, %,d audit records in %.0f s (%s)%n", counts[0], counts[1],
          loadSeconds, Format.mb(indexBytes));
      section.raw(String.format(Locale.ROOT, "ledger index bulk load: tokens=%d audit=%d seconds=%.1f bytes=%d",
          counts[0], counts[1], loadSeconds, indexBytes));
      section.row(new Row("disk: audit trail of " + Format.count(counts[1]) + " records + " + Format.count(counts[0])
          + " tokens", "index " + Format.mb(indexBytes), null, null, null, null));
      try (BenchLedger ledger = BenchLedger.start(BenchLedger.Options.defaults().dataDir(dir)
          .roles(EnumSet.of(LedgerNode.Role.INDEX, LedgerNode.Role.API)))) {
        ApiCalls api = ledger.api();
        QueryKind.Args probe = QueryKind.TOKEN_BY_ID.pick(d, new SplittableRandom(1));
        ApiCalls.Answer answer = api.get(path(QueryKind.TOKEN_BY_ID, probe));
        if (answer.status() != 200) {
          throw new IllegalStateException("the loaded index does not answer token " + probe + ": " + answer);
        }
        Map<QueryKind, ClosedLoop.Result> results = new EnumMap<>(QueryKind.class);
        for (QueryKind kind : QueryKind.values()) {
          ClosedLoop.Result r = ClosedLoop.run(options.clients(), options.warmup(), options.duration(),
              n -> random -> api.get(path(kind, kind.pick(d, random))).status() == 200);
          out.printf("  ledger   %-20s %s%n", kind, r.raw());
          results.put(kind, r);
        }
        return results;
      }
    } finally {
      Dirs.deleteTree(dir);
    }
  }

  /** The API path answering {@code kind} for {@code args}. */
  static String path(QueryKind kind, QueryKind.Args args) {
    String tenant = "tenant=" + ApiCalls.enc(args.tenant());
    String value = ApiCalls.enc(args.value());
    return switch (kind) {
      case TOKEN_BY_ID -> "/v1/tokens/" + value + "?" + tenant;
      case DESCENDANTS -> "/v1/tokens/" + value + "/descendants?limit=100&" + tenant;
      case AUDIT_BY_PRINCIPAL -> "/v1/audit?limit=100&principal=" + value + "&" + tenant;
      case AUDIT_BY_ACTOR, AUDIT_BY_HOT_ACTOR -> "/v1/audit?limit=100&actor=" + value + "&" + tenant;
      case FREE_TEXT -> "/v1/audit?limit=100&q=" + value + "&" + tenant;
    };
  }

  private Map<QueryKind, ClosedLoop.Result> runPostgres(QueryDataset d, Section.Builder section) throws Exception {
    try (PostgresServer pg = PostgresServer.start()) {
      long t0 = System.nanoTime();
      long tokens;
      long audit;
      try (Connection c = pg.connect()) {
        BaselineSchema.createTables(c);
        try (BaselineLoader loader = new BaselineLoader(c)) {
          d.emit(loader);
          tokens = loader.tokenRows();
          audit = loader.auditRows();
        }
        double copySeconds = (System.nanoTime() - t0) / 1e9;
        BaselineSchema.createIndexes(c);
        double totalSeconds = (System.nanoTime() - t0) / 1e9;
        long bytes = PostgresServer.databaseBytes(c);
        out.printf("  postgres loaded: %,d tokens, %,d audit rows: COPY %.0f s, with indexes %.0f s (%s)%n", tokens,
            audit, copySeconds, totalSeconds, Format.mb(bytes));
        section.raw(String.format(Locale.ROOT, "postgres COPY load: tokens=%d audit=%d copy-seconds=%.1f"
            + " with-indexes-seconds=%.1f database-bytes=%d", tokens, audit, copySeconds, totalSeconds, bytes));
        section.row(new Row("disk: the same data in PostgreSQL (tables and indexes, without WAL)", null, Format.mb(bytes), null,
            null, null));
      }
      section.note("Baseline: " + pg.settingsSummary() + ". Actor anywhere in the chain uses a text[] of the chain's"
          + " actors under a GIN index; free text a GIN index on to_tsvector('simple', ...); descendants and chains recursive CTEs.");
      Map<QueryKind, ClosedLoop.Result> results = new EnumMap<>(QueryKind.class);
      for (QueryKind kind : QueryKind.values()) {
        ClosedLoop.Result r = ClosedLoop.run(options.clients(), options.warmup(), options.duration(),
            n -> jdbcClient(pg, kind, d));
        out.printf("  postgres %-20s %s%n", kind, r.raw());
        results.put(kind, r);
      }
      return results;
    }
  }

  private static ClosedLoop.Client jdbcClient(PostgresServer pg, QueryKind kind, QueryDataset d) {
    try {
      Connection c = pg.connect();
      PreparedStatement s = BaselineQueries.prepare(c, kind);
      return new ClosedLoop.Client() {
        @Override
        public boolean call(SplittableRandom random) throws Exception {
          BaselineQueries.run(s, kind.pick(d, random));
          return true;
        }

        @Override
        public void close() throws Exception {
          s.close();
          c.close();
        }
      };
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot connect to the baseline: " + e.getMessage(), e);
    }
  }
}
