package dev.ledger.bench.micro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.ingest.EventJson;
import dev.ledger.ingest.EventValidator;
import dev.ledger.ingest.Problem;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.serde.AvroSerde;
import dev.ledger.workload.WorkloadGenerator;
import dev.ledger.workload.WorkloadSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-event work of ingest: validate a parsed event, map JSON to Avro, and the Avro
 * single-object encode/decode every topic hop pays. Inputs are 1,000 events of {@code ledger
 * generate}'s realistic mix, cycled.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IngestBenchmarks {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final AvroSerde<LedgerEvent> serde = AvroSerde.of(LedgerEvent.class);
  private final List<String> lines = new ArrayList<>();
  private final List<JsonNode> parsed = new ArrayList<>();
  private final List<LedgerEvent> events = new ArrayList<>();
  private final List<byte[]> encoded = new ArrayList<>();
  private int i;

  @Setup
  public void setUp() throws Exception {
    for (String line : WorkloadGenerator.events(WorkloadSpec.builder().trees(40).build())) {
      if (lines.size() == 1_000) {
        break;
      }
      lines.add(line);
      parsed.add(JSON.readTree(line));
      LedgerEvent e = EventJson.parse(line, Instant.now());
      events.add(e);
      encoded.add(serde.encode(e));
    }
  }

  private int next() {
    i = (i + 1) % lines.size();
    return i;
  }

  /** Every rule of the contract on one parsed event. */
  @Benchmark
  public List<Problem> validate() {
    return EventValidator.validate(parsed.get(next()), 0);
  }

  /**
   * Parse, validate and map one NDJSON line to Avro: the whole per-event cost of POST /v1/events.
   */
  @Benchmark
  public LedgerEvent parseValidateMap() {
    return EventJson.parse(lines.get(next()), Instant.EPOCH);
  }

  /** Avro single-object encoding of one event. */
  @Benchmark
  public byte[] avroEncode() {
    return serde.encode(events.get(next()));
  }

  /** Avro single-object decoding of one event. */
  @Benchmark
  public LedgerEvent avroDecode() {
    return serde.decode(encoded.get(next()));
  }
}
