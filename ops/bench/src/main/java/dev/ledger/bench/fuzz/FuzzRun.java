package dev.ledger.bench.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.EventEncoder;
import dev.ledger.bench.kafka.ProducerSettings;
import dev.ledger.bench.kafka.TopicScan;
import dev.ledger.bench.ledger.ApiCalls;
import dev.ledger.bench.ledger.LedgerUnderTest;
import dev.ledger.schemas.EventIdentity;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.streams.StreamsSettings;
import dev.ledger.workload.WorkloadGenerator;
import dev.ledger.workload.WorkloadSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * A fuzz run against a running ledger: seeded inputs over {@code POST /v1/events}, every GET route
 * and raw records on {@code ledger.events}, then the checks of {@link FuzzReport}.
 *
 * <pre>{@code
 * try (BenchLedger ledger = BenchLedger.start(...)) {
 *   FuzzReport report = new FuzzRun(FuzzRun.Options.of(2_000, 7), System.out).run(ledger);
 * }
 * }</pre>
 */
public final class FuzzRun {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int KEEP = 50;
  private static final String CANARY_TENANT = "fuzz-canary";

  /**
   * @param inputs how many inputs in all
   * @param seed the seed
   * @param clients concurrent HTTP clients
   * @param settleTimeout how long the ledger may take after the last input to account for every
   *     record
   * @param streamsGroup the stream processor's consumer group ({@code streams.application.id})
   */
  public record Options(
      long inputs, long seed, int clients, Duration settleTimeout, String streamsGroup) {
    public static Options of(long inputs, long seed) {
      return new Options(
          inputs, seed, 4, Duration.ofMinutes(3), StreamsSettings.DEFAULT_APPLICATION_ID);
    }
  }

  private final Options options;
  private final PrintStream out;
  private final Map<String, LongAdder> inputs = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
  private final Map<String, Map<Integer, LongAdder>> statuses = new ConcurrentHashMap<>();
  private final List<String> serverErrors =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong serverErrorCount = new AtomicLong();
  private final Map<String, RawInput> rawByOrigin = new ConcurrentHashMap<>();

  public FuzzRun(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /**
   * The ledger's settings a fuzz run wants: uses of unknown tokens judged after seconds, not
   * minutes, so every record settles.
   */
  public static Map<String, String> ledgerSettings() {
    return Map.of("streams.unknown.token.grace", "2s");
  }

  public FuzzReport run(LedgerUnderTest ledger) throws Exception {
    long started = System.nanoTime();
    List<String> corpus = new ArrayList<>();
    WorkloadGenerator.events(
            WorkloadSpec.builder().seed(options.seed()).trees(10).tenants(3).build())
        .forEach(corpus::add);
    List<EncodedEvent> encoded = new EventEncoder().encodeAll(corpus, corpus.size());
    List<String> tokenIds = tokenIds(corpus);
    ApiCalls api = ledger.api();
    seed(api, corpus);
    out.printf("fuzz: corpus posted after %d ms%n", (System.nanoTime() - started) / 1_000_000);
    HttpInputs http = new HttpInputs(options.seed(), corpus, tokenIds, cursors(api, tokenIds));
    RawInputs raw = new RawInputs(options.seed(), encoded);
    out.printf(
        "fuzz: seed %d, %,d inputs over POST /v1/events, %d GET routes and ledger.events%n",
        options.seed(), options.inputs(), http.routes().size());

    try (KafkaProducer<byte[], byte[]> producer = ProducerSettings.producer(ledger.kafkaClient())) {
      ExecutorService pool = Executors.newFixedThreadPool(options.clients());
      AtomicLong next = new AtomicLong();
      for (int c = 0; c < options.clients(); c++) {
        pool.submit(
            () -> {
              for (long i = next.getAndIncrement();
                  i < options.inputs();
                  i = next.getAndIncrement()) {
                long slot = Math.floorMod(i * 31, 20);
                if (slot >= 17) {
                  sendRaw(producer, raw.make(i));
                } else {
                  call(api, http.make(i, slot < 9));
                }
                if (i > 0 && i % 10_000 == 0) {
                  out.printf("fuzz: %,d inputs%n", i);
                }
              }
              return null;
            });
      }
      pool.shutdown();
      if (!pool.awaitTermination(6, TimeUnit.HOURS)) {
        throw new IllegalStateException("the fuzz inputs did not finish");
      }
      producer.flush();
    }
    nanos.forEach((k, v) -> out.printf("fuzz: %s %d ms in all%n", k, v.sum() / 1_000_000));
    out.printf(
        "fuzz: every input sent after %d ms; checking that every record settles%n",
        (System.nanoTime() - started) / 1_000_000);
    boolean canary = canary(api);
    out.printf("fuzz: canary after %d ms%n", (System.nanoTime() - started) / 1_000_000);
    return settle(ledger, canary, started);
  }

  private static List<String> tokenIds(List<String> corpus) throws IOException {
    List<String> ids = new ArrayList<>();
    for (String line : corpus) {
      JsonNode token = JSON.readTree(line).path("token");
      if (token.has("token_id")) {
        ids.add(token.get("token_id").asText());
      }
    }
    return ids;
  }

  /** Posts the valid corpus first, so that GET routes find tokens, records and cursors. */
  private static void seed(ApiCalls api, List<String> corpus) {
    for (int i = 0; i < corpus.size(); i += 500) {
      ApiCalls.Answer a =
          api.postNdjson(
              "/v1/events", String.join("\n", corpus.subList(i, Math.min(corpus.size(), i + 500))));
      if (a.status() != 202) {
        throw new IllegalStateException(
            "the valid corpus was refused: " + a.status() + " " + a.body());
      }
    }
  }

  /** Real cursors of the list routes, to mutate. */
  private static List<String> cursors(ApiCalls api, List<String> tokenIds)
      throws IOException, InterruptedException {
    List<String> paths =
        List.of(
            "/v1/audit?tenant=*&limit=1",
            "/v1/alerts?tenant=*&limit=1",
            "/v1/revocations?tenant=*&limit=1",
            "/v1/tokens/" + ApiCalls.enc(tokenIds.get(0)) + "/descendants?tenant=t0&limit=1");
    List<String> found = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (found.size() < 2 && System.nanoTime() < deadline) {
      found.clear();
      for (String p : paths) {
        ApiCalls.Answer a = api.get(p);
        JsonNode c = a.ok() ? JSON.readTree(a.body()).path("next_cursor") : null;
        if (c != null && c.isTextual()) {
          found.add(c.asText());
        }
      }
      Thread.sleep(200);
    }
    return found;
  }

  private void call(ApiCalls api, HttpInput input) {
    String kind = input.method().equals("POST") ? "POST /v1/events" : "GET " + input.route();
    inputs.computeIfAbsent(kind, k -> new LongAdder()).increment();
    int status;
    String failure = "";
    long t0 = System.nanoTime();
    try {
      status = send(api, input);
    } catch (RuntimeException e) {
      status = 0; // no answer: refused, reset or timed out
      failure = " (" + e + (e.getCause() == null ? "" : ", " + e.getCause()) + ")";
    }
    nanos.computeIfAbsent(kind, k -> new LongAdder()).add(System.nanoTime() - t0);
    statuses
        .computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(status, s -> new LongAdder())
        .increment();
    if (failed(input, status)) {
      if (serverErrorCount.incrementAndGet() <= KEEP) {
        serverErrors.add(
            "input " + input.index() + ": " + status + failure + " for " + input.reproducer());
      }
    }
  }

  /**
   * A 5xx or no answer, except the contract's own: {@code /health}'s 503 while a part of the ledger
   * is not up, and 504 {@code wait_expired} for a read whose {@code after_events} were not indexed
   * in time (an id of the fuzzer's, mostly) (the answers by status still show both).
   */
  static boolean failed(HttpInput input, int status) {
    return status == 0 || (status >= 500 && !contractAnswer("GET " + input.route(), status));
  }

  /** True for the 5xx statuses the contract gives {@code kind} (see {@link #failed}). */
  static boolean contractAnswer(String kind, int status) {
    return (status == 503 && kind.equals("GET /health"))
        || (status == 504 && kind.startsWith("GET /v1/"));
  }

  /**
   * Sends once, and once more on a fresh connection when the first found its pooled connection
   * closed: the server closes a connection after refusing a body it did not read (a 413, a bad
   * header), and Java's client retries only idempotent methods on a stale one by itself. A second
   * failure is a failure.
   */
  private static int send(ApiCalls api, HttpInput input) {
    try {
      return api.send(
              input.method(), input.pathAndQuery(), input.headers(), input.body(), input.streamed())
          .status();
    } catch (java.io.UncheckedIOException stale) {
      return api.send(
              input.method(), input.pathAndQuery(), input.headers(), input.body(), input.streamed())
          .status();
    }
  }

  private void sendRaw(KafkaProducer<byte[], byte[]> producer, RawInput input) throws Exception {
    inputs.computeIfAbsent("raw record on ledger.events", k -> new LongAdder()).increment();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(Topics.EVENTS.name(), null, input.key(), input.value());
    input.headers().forEach((k, v) -> record.headers().add(k, v));
    var meta = producer.send(record).get(30, TimeUnit.SECONDS);
    rawByOrigin.put(meta.partition() + "@" + meta.offset(), input);
  }

  /**
   * A chain of two tokens and its root's revocation under a tenant of its own, posted after the
   * fuzz: the child must be revoked.
   */
  private boolean canary(ApiCalls api) throws Exception {
    String body =
        String.join(
            "\n",
            "{\"event_id\":\"canary-1\",\"type\":\"token.issued\",\"occurred_at\":\"2026-11-20T09:00:00Z\",\"tenant\":\""
                + CANARY_TENANT
                + "\",\"token\":{\"token_id\":\"canary-root\",\"issuer\":\"https://auth.example\",\"subject\":\"user:dana\","
                + "\"actor\":\"agent:planner\",\"audience\":[\"https://api.example\"],\"scopes\":[\"a:b\"],"
                + "\"expires_at\":\"2036-11-20T10:00:00Z\"}}",
            "{\"event_id\":\"canary-2\",\"type\":\"token.exchanged\",\"occurred_at\":\"2026-11-20T09:00:05Z\",\"tenant\":\""
                + CANARY_TENANT
                + "\",\"token\":{\"token_id\":\"canary-child\",\"parent_token_id\":\"canary-root\",\"issuer\":\"https://auth.example\","
                + "\"actor\":\"agent:searcher\",\"audience\":[\"https://api.example\"],\"scopes\":[\"a:b\"],"
                + "\"expires_at\":\"2036-11-20T09:30:00Z\"}}",
            "{\"event_id\":\"canary-3\",\"type\":\"token.revoked\",\"occurred_at\":\"2026-11-20T09:01:00Z\",\"tenant\":\""
                + CANARY_TENANT
                + "\",\"revocation\":{\"token_id\":\"canary-root\",\"reason\":\"canary\",\"revoked_by\":\"user:dana\"}}");
    if (api.postNdjson("/v1/events", body).status() != 202) {
      return false;
    }
    long deadline = System.nanoTime() + options.settleTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      ApiCalls.Answer a = api.get("/v1/tokens/canary-child?tenant=" + CANARY_TENANT);
      if (a.ok() && JSON.readTree(a.body()).path("status").asText().equals("revoked")) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  /**
   * Waits until every record of ledger.events is accounted for (or the time is up), then counts.
   */
  private FuzzReport settle(LedgerUnderTest ledger, boolean canary, long started) throws Exception {
    long deadline = System.nanoTime() + options.settleTimeout().toNanos();
    Accounting a;
    List<Integer> stuck;
    do {
      Thread.sleep(1000);
      stuck = stuckPartitions(ledger);
      a = account(ledger);
    } while ((!stuck.isEmpty() || a.unaccounted > 0) && System.nanoTime() < deadline);
    out.printf("fuzz: settled after %d ms%n", (System.nanoTime() - started) / 1_000_000);
    return new FuzzReport(
        options.seed(),
        counts(inputs),
        nested(statuses),
        List.copyOf(serverErrors),
        serverErrorCount.get(),
        a.records,
        a.dlq,
        a.reasons,
        a.audited,
        a.missing,
        a.unaccounted,
        a.duplicates,
        a.twice,
        a.withoutReason,
        stuck,
        canary,
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** What became of every record on ledger.events. */
  private static final class Accounting {
    long records;
    long dlq;
    long audited;
    long unaccounted;
    long duplicates;
    long withoutReason;
    final Map<String, Long> reasons = new TreeMap<>();
    final List<String> missing = new ArrayList<>();
    final List<String> twice = new ArrayList<>();
  }

  private Accounting account(LedgerUnderTest ledger) {
    Duration scan = Duration.ofMinutes(2);
    Map<String, String> dlqReasons = new HashMap<>();
    Accounting a = new Accounting();
    TopicScan.scan(
        ledger.kafkaClient(),
        Topics.DLQ.name(),
        scan,
        r -> {
          String origin = header(r.headers().lastHeader(Topics.DLQ_HEADER_ORIGIN));
          String reason = header(r.headers().lastHeader(Topics.DLQ_HEADER_REASON));
          if (origin.startsWith(Topics.EVENTS.name() + "/")) {
            dlqReasons.put(origin.substring(Topics.EVENTS.name().length() + 1), reason);
          }
        });
    // By the event's identity (tenant, token, event id: CONTRACT.md v1.10), as the ledger dedupes.
    Map<EventIdentity, List<String>> auditsPerEvent = new HashMap<>();
    var auditDecoder = Topics.AUDIT.valueSerde().deserializer();
    TopicScan.scan(
        ledger.kafkaClient(),
        Topics.AUDIT.name(),
        scan,
        r -> {
          AuditRecord record = auditDecoder.deserialize(Topics.AUDIT.name(), r.value());
          if (record.getAmends() == null) {
            auditsPerEvent
                .computeIfAbsent(EventIdentity.of(record), k -> new ArrayList<>())
                .add(record.getType() + " in partition " + r.partition() + "@" + r.offset());
          }
        });
    auditsPerEvent.forEach(
        (id, records) -> {
          if (records.size() > 1) {
            a.duplicates++;
            if (a.twice.size() < KEEP) {
              a.twice.add(id + ": " + records);
            }
          }
        });
    var eventDecoder = Topics.EVENTS.valueSerde().deserializer();
    TopicScan.scan(
        ledger.kafkaClient(),
        Topics.EVENTS.name(),
        scan,
        r -> {
          a.records++;
          String origin = r.partition() + "@" + r.offset();
          String reason = dlqReasons.get(origin);
          if (reason != null) {
            a.dlq++;
            a.reasons.merge(reason.isEmpty() ? "(none)" : reason, 1L, Long::sum);
            a.withoutReason += reason.isEmpty() ? 1 : 0;
            return;
          }
          String problem;
          try {
            LedgerEvent e =
                r.value() == null
                    ? null
                    : eventDecoder.deserialize(Topics.EVENTS.name(), r.value());
            problem =
                e == null
                    ? "a tombstone, not in the DLQ"
                    : auditsPerEvent.containsKey(EventIdentity.of(e))
                        ? null
                        : "no audit record of " + e.getEventId();
          } catch (RuntimeException undecodable) {
            problem =
                "undecodable (" + undecodable.getClass().getSimpleName() + "), not in the DLQ";
          }
          if (problem == null) {
            a.audited++;
          } else {
            a.unaccounted++;
            if (a.missing.size() < KEEP) {
              RawInput raw = rawByOrigin.get(origin);
              a.missing.add(
                  "ledger.events/"
                      + origin
                      + ": "
                      + problem
                      + (raw == null
                          ? " (accepted over HTTP)"
                          : " raw input " + raw.index() + ": " + raw.reproducer()));
            }
          }
        });
    return a;
  }

  /**
   * Partitions of ledger.events whose committed offset (the stream processor's group) is short of
   * the end.
   */
  private List<Integer> stuckPartitions(LedgerUnderTest ledger) throws Exception {
    try (Admin admin = Admin.create(ledger.kafkaClient().config())) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(options.streamsGroup())
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      int partitions =
          admin
              .describeTopics(List.of(Topics.EVENTS.name()))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .get(Topics.EVENTS.name())
              .partitions()
              .size();
      Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        ask.put(new TopicPartition(Topics.EVENTS.name(), p), OffsetSpec.latest());
      }
      var ends =
          admin
              .listOffsets(
                  ask,
                  new org.apache.kafka.clients.admin.ListOffsetsOptions(
                      org.apache.kafka.common.IsolationLevel.READ_COMMITTED))
              .all()
              .get(30, TimeUnit.SECONDS);
      List<Integer> stuck = new ArrayList<>();
      for (var e : ends.entrySet()) {
        OffsetAndMetadata c = committed.get(e.getKey());
        // A transaction marker after the last record may stay uncommitted: one offset short is
        // caught up.
        if (e.getValue().offset() > 0 && (c == null || c.offset() < e.getValue().offset() - 1)) {
          stuck.add(e.getKey().partition());
        }
      }
      return stuck;
    }
  }

  private static String header(Header h) {
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static Map<String, Long> counts(Map<String, LongAdder> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private static Map<String, Map<Integer, Long>> nested(Map<String, Map<Integer, LongAdder>> m) {
    Map<String, Map<Integer, Long>> out = new TreeMap<>();
    m.forEach(
        (k, v) -> {
          Map<Integer, Long> inner = new TreeMap<>();
          v.forEach((s, n) -> inner.put(s, n.sum()));
          out.put(k, inner);
        });
    return out;
  }
}
