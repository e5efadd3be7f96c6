package dev.ledger.index.bench;

import dev.ledger.index.AuditFilter;
import dev.ledger.index.AuthorityFilter;
import dev.ledger.index.InvalidQueryException;
import dev.ledger.index.LedgerIndex;
import dev.ledger.index.Page;
import dev.ledger.index.PageRequest;
import dev.ledger.index.PointInTime;
import dev.ledger.index.TenantScope;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Indexing rate and query latency of the ledger index on a large synthetic audit trail, written
 * straight through {@link LedgerIndex}'s document-building code (no Kafka). Prints, asserts
 * nothing. Run only on request:
 *
 * <pre>
 * mvn -o -pl query-api/index verify -Dtest=IndexBenchIT -Dledger.bench=true [-Dledger.bench.records=1000000]
 * </pre>
 *
 * <p>{@link #indexerPath()} measures the index's own ceiling the way the indexer writes: Kafka
 * value bytes decoded once and stored as they came, audit records appended, on one thread, with the
 * adaptive near-real-time reopen running; it prints documents per CPU-second of the whole JVM
 * (merges and reopens included) and the heap the index needs. Run it alone with {@code
 * -Dtest=IndexBenchIT#indexerPath -Dledger.bench.records=200000}, and add {@code
 * -Dledger.bench.rate=4000} to write at the pipeline's pace (documents per second).
 */
@EnabledIfSystemProperty(named = "ledger.bench", matches = "true")
class IndexBenchIT {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String TENANT = "bench";
  static final int PRINCIPALS = 10_000;
  static final int ACTORS = 20_000;
  static final String HOT_ACTOR = "agent-hot";
  static final int DESCENDANTS = 10_000;
  static final int USED_ROOTS = 10_000;
  static final int QUERIES = 2_000;
  static final int WARMUP = 300;

  @Test
  void bench() throws Exception {
    int records = Integer.getInteger("ledger.bench.records", 1_000_000);
    int threads = Integer.getInteger("ledger.bench.threads", 2);
    java.time.Duration refresh =
        java.time.Duration.ofMillis(Integer.getInteger("ledger.bench.refreshMs", 25));
    Path dir = Files.createTempDirectory("ledger-index-bench-");
    System.out.printf(
        "[bench] %d audit records, %d writer threads, refresh every %d ms, index in %s, %d cores, max heap %d MB%n",
        records,
        threads,
        refresh.toMillis(),
        dir,
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20);
    try (LedgerIndex index = LedgerIndex.open(dir, refresh)) {
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(
            pool.submit(
                () -> {
                  Random random = new Random(first);
                  for (int i = first; i < records; i += threads) {
                    put(index, auditRecord(i, random));
                  }
                  return null;
                }));
      }
      for (Future<?> f : parts) {
        f.get();
      }
      long indexed = System.nanoTime();
      index.commit(Map.of());
      long committed = System.nanoTime();
      double cpuSecs = (processCpuNanos() - cpuStart) / 1e9;
      pool.shutdown();
      double secs = (committed - start) / 1e9;
      System.out.printf(
          "[bench] indexed %d audit records in %.1f s (+ commit %.1f s): %.0f docs/s wall; %.1f CPU-s used by"
              + " the JVM: %.0f docs per CPU-second; index size %d MB%n",
          records,
          (indexed - start) / 1e9,
          (committed - indexed) / 1e9,
          records / secs,
          cpuSecs,
          records / cpuSecs,
          size(dir) >> 20);

      long treeStart = System.nanoTime();
      Random random = new Random(99);
      index.putToken(token("root-big", List.of("root-big"), 0));
      for (int i = 0; i < DESCENDANTS; i++) {
        // A wide tree three levels deep: 100 children of the root, 99 grandchildren each, a few
        // deeper.
        List<String> chain = new ArrayList<>(List.of("root-big"));
        chain.add("c" + (i % 100));
        if (i >= 100) {
          chain.add("g" + i);
        }
        if (i >= 100 && i % 10 == 0) {
          chain.add("d" + i);
        }
        index.putToken(token(chain.getLast(), chain, i));
      }
      // Token documents for the roots of some audit chains: their uses are counted from the audit
      // documents, as GET /v1/tokens/{id} (and at T) does.
      for (int i = 0; i < USED_ROOTS; i++) {
        int record = i * (records / USED_ROOTS);
        TokenNode root = token("tok-" + record + "-0", List.of("tok-" + record + "-0"), 0);
        root.setIssuedAt(T0.plusMillis(record * 100L - 60_000));
        index.putToken(root);
      }
      index.commit(Map.of());
      index.awaitSearchable();
      System.out.printf(
          "[bench] indexed a tree of %d+ tokens in %.1f s; %d documents in all%n",
          DESCENDANTS, (System.nanoTime() - treeStart) / 1e9, index.documentCount());

      TenantScope scope = TenantScope.of(TENANT);
      measure(
          "audit by principal (~" + records / PRINCIPALS + " matches)",
          () ->
              index.audit(
                  scope,
                  AuditFilter.builder().principal("user-" + random.nextInt(PRINCIPALS)).build(),
                  PageRequest.first(100)));
      measure(
          "audit by actor in chain, hot actor (~" + records / 10 + " matches)",
          () ->
              index.audit(
                  scope, AuditFilter.builder().actor(HOT_ACTOR).build(), PageRequest.first(100)));
      measure(
          "audit by actor in chain, random actor",
          () ->
              index.audit(
                  scope,
                  AuditFilter.builder().actor("agent-" + random.nextInt(ACTORS)).build(),
                  PageRequest.first(100)));
      measure(
          "audit free q: timeout (~" + records / 20 + " matches)",
          () ->
              index.audit(
                  scope, AuditFilter.builder().q("timeout").build(), PageRequest.first(100)));
      measure(
          "audit free q: \"upstream timeout\" AND resource:res-<n> AND NOT outcome:allowed",
          () ->
              index.audit(
                  scope,
                  AuditFilter.builder()
                      .q(
                          "\"upstream timeout\" AND resource:res-"
                              + random.nextInt(50)
                              + " AND NOT outcome:allowed")
                      .build(),
                  PageRequest.first(100)));
      measure(
          "audit by principal + time window (1 day)",
          () -> {
            Instant from = T0.plusSeconds(random.nextInt(Math.max(1, records / 10)));
            return index.audit(
                scope,
                AuditFilter.builder()
                    .principal("user-" + random.nextInt(PRINCIPALS))
                    .from(from)
                    .to(from.plusSeconds(86_400))
                    .build(),
                PageRequest.first(100));
          });
      measure(
          "token by id with its uses counted (a root of an audit chain)",
          () -> page(index.token(TENANT, "tok-" + usedRoot(random, records) + "-0")));
      measure(
          "token at T with its uses by T counted (a root of an audit chain, T a day later)",
          () -> {
            int record = usedRoot(random, records);
            return page(
                index.tokenAt(
                    TENANT,
                    "tok-" + record + "-0",
                    PointInTime.at(T0.plusMillis(record * 100L).plusSeconds(86_400))));
          });
      measure(
          "authority of agent-1 at T (100 tokens in force, the uses of each counted)",
          () ->
              index.authority(
                  scope,
                  new AuthorityFilter(
                      "agent-1",
                      null,
                      null,
                      null,
                      PointInTime.at(T0.plusSeconds(DESCENDANTS + random.nextInt(86_400)))),
                  PageRequest.first(100)));
      String[] deep = {null};
      measure(
          "descendants of a root with "
              + DESCENDANTS
              + "+ descendants, page of 100 (walking all pages)",
          () -> {
            Page<TokenNode> page =
                index.descendants(TENANT, "root-big", new PageRequest(100, deep[0]));
            deep[0] = page.nextCursor();
            return page;
          });
      measure(
          "audit page 50 deep by cursor, hot actor",
          new Query() {
            String cursor;
            int n;

            @Override
            public Page<?> run() throws InvalidQueryException {
              if (n++ % 50 == 0) {
                cursor = null;
              }
              Page<AuditRecord> p =
                  index.audit(
                      scope,
                      AuditFilter.builder().actor(HOT_ACTOR).build(),
                      new PageRequest(100, cursor));
              cursor = p.nextCursor();
              return p;
            }
          });
    }
    deleteRecursively(dir);
  }

  @Test
  void indexerPath() throws Exception {
    int records = Integer.getInteger("ledger.bench.records", 1_000_000);
    Random random = new Random(7);
    List<byte[]> values = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      values.add(AUDIT_SERDE.encode(auditRecord(i, random)));
    }
    Path dir = Files.createTempDirectory("ledger-index-bench-");
    System.gc();
    long heapBefore = usedHeap();
    resetPeaks();
    try (LedgerIndex index = LedgerIndex.open(dir)) {
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      long threadStart = THREADS.getCurrentThreadCpuTime();
      // Paced (-Dledger.bench.rate, documents per second) the reopens follow the indexer's load in
      // the pipeline, where merges of the smaller segments cost the most; unpaced by default.
      int rate = Integer.getInteger("ledger.bench.rate", 0);
      for (int i = 0; i < values.size(); i++) {
        byte[] value = values.get(i);
        index.putAudit(AUDIT_SERDE.decode(value), value);
        if (rate > 0 && i % 100 == 0) {
          long due = start + i * 1_000_000_000L / rate;
          java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
        }
      }
      index.awaitSearchable();
      long threadCpu = THREADS.getCurrentThreadCpuTime() - threadStart;
      double cpuSecs = (processCpuNanos() - cpuStart) / 1e9;
      double secs = (System.nanoTime() - start) / 1e9;
      long peak = peakHeap();
      System.out.printf(
          "[bench] indexer path: %d audit records (decode + addDocument, value bytes stored as they came)"
              + " in %.1f s: %.0f docs/s wall, %.0f docs per JVM CPU-second (%.1f CPU-s, merges and reopens included),"
              + " %.0f per CPU-second of the writing thread; peak heap %d MB over the %d MB of encoded input held"
              + " (max heap %d MB); index size %d MB%n",
          records,
          secs,
          records / secs,
          records / cpuSecs,
          cpuSecs,
          records / (threadCpu / 1e9),
          Math.max(0, peak - heapBefore) >> 20,
          heapBefore >> 20,
          Runtime.getRuntime().maxMemory() >> 20,
          size(dir) >> 20);
    }
    deleteRecursively(dir);
  }

  static final dev.ledger.schemas.serde.AvroSerde<AuditRecord> AUDIT_SERDE =
      dev.ledger.schemas.serde.AvroSerde.of(AuditRecord.class);

  static long usedHeap() {
    return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static void resetPeaks() {
    java.lang.management.ManagementFactory.getMemoryPoolMXBeans()
        .forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
  }

  /**
   * Sum of the heap pools' peaks since {@link #resetPeaks()}: an upper bound of the heap in use at
   * once.
   */
  static long peakHeap() {
    return java.lang.management.ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed())
        .sum();
  }

  static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  interface Query {
    Page<?> run() throws InvalidQueryException;
  }

  static void measure(String name, Query q) throws InvalidQueryException {
    long[] micros = new long[QUERIES];
    long[] cpuMicros = new long[QUERIES];
    long items = 0;
    for (int i = 0; i < WARMUP + QUERIES; i++) {
      long c = THREADS.getCurrentThreadCpuTime();
      long s = System.nanoTime();
      Page<?> p = q.run();
      long us = (System.nanoTime() - s) / 1000;
      long cpuUs = (THREADS.getCurrentThreadCpuTime() - c) / 1000;
      if (i >= WARMUP) {
        micros[i - WARMUP] = us;
        cpuMicros[i - WARMUP] = cpuUs;
        items += p.items().size();
      }
    }
    Arrays.sort(micros);
    Arrays.sort(cpuMicros);
    // Wall time suffers from whatever else runs on the machine; the query thread's CPU time does
    // not.
    System.out.printf(
        "[bench] %-92s wall p50 %6.2f p99 %6.2f max %7.2f ms | cpu p50 %6.2f p99 %6.2f ms | %.0f items%n",
        name,
        micros[QUERIES / 2] / 1000.0,
        micros[(int) (QUERIES * 0.99)] / 1000.0,
        micros[QUERIES - 1] / 1000.0,
        cpuMicros[QUERIES / 2] / 1000.0,
        cpuMicros[(int) (QUERIES * 0.99)] / 1000.0,
        items / (double) QUERIES);
  }

  static int usedRoot(Random random, int records) {
    return random.nextInt(USED_ROOTS) * (records / USED_ROOTS);
  }

  static Page<TokenNode> page(java.util.Optional<TokenNode> token) {
    return new Page<>(token.stream().toList(), null);
  }

  static void put(LedgerIndex index, AuditRecord r) {
    try {
      index.putAudit(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static AuditRecord auditRecord(int i, Random random) {
    int depth = 1 + random.nextInt(4);
    List<Hop> chain = new ArrayList<>(depth);
    for (int h = 0; h < depth; h++) {
      String actor = random.nextInt(10) == 0 ? HOT_ACTOR : "agent-" + random.nextInt(ACTORS);
      chain.add(
          Hop.newBuilder()
              .setTokenId("tok-" + i + "-" + h)
              .setActor(actor)
              .setVia(h == 0 ? Via.issued : Via.exchanged)
              .build());
    }
    boolean timeout = random.nextInt(20) == 0;
    List<ViolationKind> violations =
        random.nextInt(50) == 0 ? List.of(ViolationKind.values()[random.nextInt(10)]) : List.of();
    return AuditRecord.newBuilder()
        .setTenant(TENANT)
        .setEventId("ev-" + i)
        .setType(random.nextInt(5) == 0 ? "token.exchanged" : "token.used")
        .setOccurredAt(T0.plusMillis(i * 100L + random.nextInt(100)))
        .setTokenId(chain.getLast().getTokenId())
        .setRootId(chain.getFirst().getTokenId())
        .setPrincipal("user-" + random.nextInt(PRINCIPALS))
        .setActor(chain.getLast().getActor())
        .setChain(chain)
        .setResource("res-" + random.nextInt(50))
        .setAction("GET /items/" + random.nextInt(200))
        .setOutcome(timeout || random.nextInt(10) == 0 ? Outcome.denied : Outcome.allowed)
        .setReason(timeout ? "upstream timeout" : null)
        .setViolations(violations)
        .setRequestId("req-" + i)
        .setSource("gateway-" + random.nextInt(5))
        .setAttributes(Map.of("agent_model", "model-" + random.nextInt(20)))
        .build();
  }

  static TokenNode token(String id, List<String> chainIds, int i) {
    List<Hop> chain = new ArrayList<>();
    for (int h = 0; h < chainIds.size(); h++) {
      chain.add(
          Hop.newBuilder()
              .setTokenId(chainIds.get(h))
              .setActor("agent-" + h)
              .setVia(h == 0 ? Via.issued : Via.exchanged)
              .build());
    }
    return TokenNode.newBuilder()
        .setTenant(TENANT)
        .setTokenId(id)
        .setParentId(chainIds.size() > 1 ? chainIds.get(chainIds.size() - 2) : null)
        .setRootId(chainIds.getFirst())
        .setDepth(chainIds.size() - 1)
        .setPrincipal("user-1")
        .setActor("agent-" + (chainIds.size() - 1))
        .setChain(chain)
        .setStatus(TokenStatus.active)
        .setVia(chainIds.size() == 1 ? Via.issued : Via.exchanged)
        .setIssuedAt(T0.plusSeconds(i))
        .build();
  }

  static long size(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.mapToLong(p -> p.toFile().length()).sum();
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
