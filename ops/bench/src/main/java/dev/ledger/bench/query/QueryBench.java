package dev.ledger.bench.query;

import dev.ledger.bench.harness.ClosedLoop;
import dev.ledger.bench.harness.Dirs;
import dev.ledger.bench.harness.Format;
import dev.ledger.bench.harness.OpenLoop;
import dev.ledger.bench.harness.Row;
import dev.ledger.bench.harness.Section;
import dev.ledger.bench.ledger.ApiCalls;
import dev.ledger.bench.ledger.BenchLedger;
import dev.ledger.bench.postgres.BaselineLoader;
import dev.ledger.bench.postgres.BaselineQueries;
import dev.ledger.bench.postgres.BaselineSchema;
import dev.ledger.bench.postgres.PostgresServer;
import dev.ledger.index.LedgerIndex;
import dev.ledger.runtime.LedgerNode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Query latency on the same audit trail in the ledger (through its HTTP API, JSON included) and in
 * PostgreSQL (JDBC, the SQL of {@link BaselineQueries}), with the same number of concurrent
 * clients.
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
   * @param openLoopRate requests per second of the open-loop runs (latency from the due time)
   */
  public record Options(
      QueryDataset dataset,
      int clients,
      Duration warmup,
      Duration duration,
      boolean postgres,
      double openLoopRate) {}

  /**
   * A query's latency measured both ways: closed loop (clients back to back) and open loop (fixed
   * rate).
   */
  record Measured(ClosedLoop.Result closed, ClosedLoop.Result open) {}

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
    Section.Builder section =
        Section.builder(
                "queries-" + d.records() + (d.tenants() == 1 ? "" : "-tenants-" + d.tenants()),
                String.format(
                    Locale.ROOT,
                    "Queries on %,d audit records%s: p50 / p99 / max with concurrent clients",
                    d.records(),
                    d.tenants() == 1 ? "" : " in " + d.tenants() + " tenants"))
            .command(command)
            .size("audit records", String.format(Locale.ROOT, "%,d", d.records()))
            .size("tenants", d.tenants())
            .size("large tree descendants", d.bigTree())
            .size("hot agent records", d.hotRecords())
            .size("clients", options.clients())
            .size(
                "per query",
                Format.seconds(options.warmup())
                    + " warm-up + "
                    + Format.seconds(options.duration()));
    Map<QueryKind, Measured> ledger = runLedger(d, section);
    Map<BaselineQueries.Variant, Measured> baseline = new LinkedHashMap<>();
    if (!options.postgres()) {
      section.note("PostgreSQL baseline skipped (--no-postgres).");
    } else if (PostgresServer.binaries().isEmpty()) {
      section.note(PostgresServer.installHint() + "; baseline skipped.");
    } else {
      baseline = runPostgres(d, section);
    }
    String closedLoop = "closed loop, " + options.clients() + " clients";
    String openLoop = "open loop, " + Format.count(options.openLoopRate()) + " req/s";
    for (QueryKind kind : QueryKind.values()) {
      Measured l = ledger.get(kind);
      List<BaselineQueries.Variant> variants = BaselineQueries.variants(kind);
      Measured b = baseline.get(variants.get(0));
      section.row(
          row(kind.label(d) + ", " + closedLoop, l.closed(), b == null ? null : b.closed(), true));
      section.row(
          row(kind.label(d) + ", " + openLoop, l.open(), b == null ? null : b.open(), true));
      for (BaselineQueries.Variant v : variants.subList(1, variants.size())) {
        Measured other = baseline.get(v);
        if (other != null) {
          section.row(
              row(
                  kind.label(d) + ", " + closedLoop + "; PostgreSQL by " + v.label(),
                  l.closed(),
                  other.closed(),
                  false));
        }
      }
      section.raw("ledger   " + kind + " closed: " + l.closed().raw());
      section.raw("ledger   " + kind + " open: " + l.open().raw());
      for (BaselineQueries.Variant v : variants) {
        Measured m = baseline.get(v);
        if (m != null) {
          section.raw("postgres " + kind + " [" + v.label() + "] closed: " + m.closed().raw());
          if (m.open() != null) {
            section.raw("postgres " + kind + " [" + v.label() + "] open: " + m.open().raw());
          }
        }
      }
    }
    section.note(
        "How latency is measured: \"closed loop\" rows have each client send its next request when the"
            + " previous answer arrived (what wrk does; a stall delays the requests that would have queued behind it, so"
            + " it hides them). \"open loop\" rows send requests at the stated fixed rate whatever the answers do, and"
            + " count each latency from the time the request was due (what wrk2 does), so a stall shows in every request"
            + " that waited for it. Both use the same "
            + options.clients()
            + " connections.");
    section.note(
        "PostgreSQL's access path for each question is named in the row (first the one built for it, then"
            + " the alternatives); EXPLAIN (ANALYZE, BUFFERS) of each is in the raw numbers.");
    section.note(
        "Ledger: GET on the HTTP API (auth, Lucene, JSON) over keep-alive HTTP/1.1 from a Java client in the same"
            + " JVM; PostgreSQL: the same question as one prepared SQL statement over JDBC, every cell read. \"ledger vs"
            + " baseline\" is PostgreSQL's p99 divided by the ledger's: above 1 the ledger is faster.");
    section.note(
        "The target (p99 under 50 ms) is set for 10 million records; with fewer records the verdict says how this"
            + " size did, not what 10 million would do.");
    return section.build();
  }

  private static Row row(
      String workload, ClosedLoop.Result ledger, ClosedLoop.Result baseline, boolean target) {
    return new Row(
        workload,
        ledger.latency().summary() + errors(ledger),
        baseline == null ? "" : baseline.latency().summary() + errors(baseline),
        baseline == null
            ? ""
            : Format.ratio(baseline.latency().p99() / ledger.latency().p99()) + " (p99)",
        target ? "p99 < 50 ms at 10M" : null,
        target ? Row.atMost(ledger.latency().p99(), 50, "ms") : null);
  }

  private static String errors(ClosedLoop.Result r) {
    return r.errors() == 0 ? "" : " (" + r.errors() + " errors)";
  }

  private Map<QueryKind, Measured> runLedger(QueryDataset d, Section.Builder section)
      throws Exception {
    Path dir = Files.createTempDirectory("ledger-bench-query-");
    try {
      long t0 = System.nanoTime();
      long[] counts = new long[2];
      // A bulk load needs no near-real-time refresh: refreshing every 25 ms would flush tiny
      // segments all along.
      try (LedgerIndex index = LedgerIndex.open(dir.resolve("index"), Duration.ofMinutes(10))) {
        d.emit(
            new QueryDataset.Sink() {
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
      out.printf(
          "  ledger index loaded: %,d tokens, %,d audit records in %.0f s (%s)%n",
          counts[0], counts[1], loadSeconds, Format.mb(indexBytes));
      section.raw(
          String.format(
              Locale.ROOT,
              "ledger index bulk load: tokens=%d audit=%d seconds=%.1f bytes=%d",
              counts[0],
              counts[1],
              loadSeconds,
              indexBytes));
      section.row(
          new Row(
              "disk: audit trail of "
                  + Format.count(counts[1])
                  + " records + "
                  + Format.count(counts[0])
                  + " tokens",
              "index " + Format.mb(indexBytes),
              null,
              null,
              null,
              null));
      try (BenchLedger ledger =
          BenchLedger.start(
              BenchLedger.Options.defaults()
                  .dataDir(dir)
                  .roles(EnumSet.of(LedgerNode.Role.INDEX, LedgerNode.Role.API)))) {
        ApiCalls api = ledger.api();
        QueryKind.Args probe = QueryKind.TOKEN_BY_ID.pick(d, new SplittableRandom(1));
        ApiCalls.Answer answer = api.get(path(QueryKind.TOKEN_BY_ID, probe));
        if (answer.status() != 200) {
          throw new IllegalStateException(
              "the loaded index does not answer token " + probe + ": " + answer);
        }
        Map<QueryKind, Measured> results = new EnumMap<>(QueryKind.class);
        for (QueryKind kind : QueryKind.values()) {
          Measured m =
              measure(
                  n -> random -> api.get(path(kind, kind.pick(d, random))).status() == 200, true);
          out.printf(
              "  ledger   %-20s closed: %s%n  %29s open: %s%n",
              kind, m.closed().raw(), "", m.open().raw());
          results.put(kind, m);
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
      case AUDIT_BY_ACTOR, AUDIT_BY_HOT_ACTOR ->
          "/v1/audit?limit=100&actor=" + value + "&" + tenant;
      case FREE_TEXT -> "/v1/audit?limit=100&q=" + value + "&" + tenant;
      case AUTHORITY_AT ->
          "/v1/authority?limit=100&actor=" + value + "&at=" + args.at() + "&" + tenant;
      case TOKEN_AT -> "/v1/tokens/" + value + "?at=" + args.at() + "&" + tenant;
    };
  }

  /**
   * Closed loop (after a warm-up), then, when asked, open loop at the stated rate on the warm
   * server.
   */
  private Measured measure(IntFunction<ClosedLoop.Client> clients, boolean openLoop)
      throws InterruptedException {
    ClosedLoop.Result closed =
        ClosedLoop.run(options.clients(), options.warmup(), options.duration(), clients);
    ClosedLoop.Result open =
        openLoop
            ? OpenLoop.run(
                options.openLoopRate(),
                options.clients(),
                Duration.ZERO,
                options.duration(),
                clients)
            : null;
    return new Measured(closed, open);
  }

  private Map<BaselineQueries.Variant, Measured> runPostgres(
      QueryDataset d, Section.Builder section) throws Exception {
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
        out.printf(
            "  postgres loaded: %,d tokens, %,d audit rows: COPY %.0f s, with indexes and ANALYZE %.0f s (%s)%n",
            tokens, audit, copySeconds, totalSeconds, Format.mb(bytes));
        section.raw(
            String.format(
                Locale.ROOT,
                "postgres COPY load: tokens=%d audit=%d copy-seconds=%.1f"
                    + " with-indexes-seconds=%.1f database-bytes=%d",
                tokens,
                audit,
                copySeconds,
                totalSeconds,
                bytes));
        section.row(
            new Row(
                "disk: the same data in PostgreSQL (tables and indexes, without WAL)",
                null,
                Format.mb(bytes),
                null,
                null,
                null));
        for (QueryKind kind : QueryKind.values()) {
          for (BaselineQueries.Variant v : BaselineQueries.variants(kind)) {
            QueryKind.Args args = kind.pick(d, new SplittableRandom(1));
            section.raw("postgres plan " + kind + " [" + v.label() + "] for " + args + ":");
            BaselineQueries.explain(c, v, args).forEach(line -> section.raw("    " + line));
          }
        }
      }
      section.note(
          "Baseline: "
              + pg.settingsSummary()
              + ". Tables: tokens with parent_id, root_id, depth and"
              + " ancestors text[] (GIN), audit with the chain's actors in a text[] (GIN) and a full-text GIN index,"
              + " and the side table audit_actor(tenant, actor, occurred_at, event_id) under a B-tree, one row per actor"
              + " of each record's chain. Point in time: tokens carry their temporal columns issued_at, expires_at and"
              + " revoked_at (the revocation in force, set on every descendant by the cascade), under a (tenant, actor,"
              + " issued_at) B-tree that includes expires_at and revoked_at; a token at T reads its chain's revocations and"
              + " its uses and violations by T from audit through the (tenant, token_id, occurred_at) B-tree. The baseline's"
              + " answers carry ancestor ids, not each hop's actor (the ledger's do).");
      Map<BaselineQueries.Variant, Measured> results = new LinkedHashMap<>();
      for (QueryKind kind : QueryKind.values()) {
        List<BaselineQueries.Variant> variants = BaselineQueries.variants(kind);
        for (BaselineQueries.Variant v : variants) {
          // Open loop for the form built for the question; the alternatives are shown closed loop
          // only.
          Measured m = measure(n -> jdbcClient(pg, v, d), v == variants.get(0));
          out.printf(
              "  postgres %-20s [%s] closed: %s%s%n",
              kind,
              v.label(),
              m.closed().raw(),
              m.open() == null ? "" : " open: " + m.open().raw());
          results.put(v, m);
        }
      }
      return results;
    }
  }

  private static ClosedLoop.Client jdbcClient(
      PostgresServer pg, BaselineQueries.Variant variant, QueryDataset d) {
    try {
      Connection c = pg.connect();
      PreparedStatement s = c.prepareStatement(variant.sql());
      return new ClosedLoop.Client() {
        @Override
        public boolean call(SplittableRandom random) throws Exception {
          BaselineQueries.run(s, variant.kind().pick(d, random));
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
