package dev.ledger.bench.micro;

import dev.ledger.bench.harness.Dirs;
import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.bench.kafka.EventEncoder;
import dev.ledger.bench.revocation.TreeShape;
import dev.ledger.schemas.Topics;
import dev.ledger.streams.LedgerTopology;
import dev.ledger.streams.StreamsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The tree processor's cascade walk without Kafka: the real topology (both stages, RocksDB stores)
 * in a {@link TopologyTestDriver}; before each measured call a fresh tree of {@code descendants} is
 * issued, and the call revokes its root and drains every notice. What is left is the processors'
 * own cost: store reads, the children walk, serdes and the records they emit.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CascadeBenchmarks {

  @Param({"1000", "10000"})
  public int descendants;

  private Path stateDir;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> events;
  private TestOutputTopic<byte[], byte[]> notices;
  private final EventEncoder encoder = new EventEncoder();
  private int tree;
  private String root;

  @Setup(Level.Trial)
  public void start() throws Exception {
    stateDir = Files.createTempDirectory("ledger-bench-cascade-");
    StreamsSettings settings =
        StreamsSettings.builder("unused:9092")
            .applicationId("cascade-bench")
            .stateDir(stateDir)
            .exactlyOnce(false)
            .build();
    driver =
        new TopologyTestDriver(
            LedgerTopology.build(settings), LedgerTopology.streamsConfig(settings));
    events =
        driver.createInputTopic(
            Topics.EVENTS.name(), new ByteArraySerializer(), new ByteArraySerializer());
    notices =
        driver.createOutputTopic(
            Topics.REVOCATIONS.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Setup(Level.Invocation)
  public void issueFreshTree() {
    TreeShape shape = TreeShape.tree(descendants);
    root = "cascade-" + tree++;
    for (String json : shape.issueEvents(root, Instant.now().minusSeconds(3_600))) {
      pipe(encoder.encode(json));
    }
    notices.readRecordsToList();
  }

  private void pipe(EncodedEvent e) {
    events.pipeInput(e.key(), e.value());
  }

  /** Revokes the root; returns the notices emitted (the tree and every descendant). */
  @Benchmark
  public int revokeRoot() {
    pipe(encoder.encode(TreeShape.revokeRoot(root, Instant.now())));
    int count = notices.readRecordsToList().size();
    if (count < descendants + 1) {
      throw new IllegalStateException(
          "the cascade emitted " + count + " notices for " + (descendants + 1) + " tokens");
    }
    return count;
  }

  @TearDown(Level.Trial)
  public void stop() {
    driver.close();
    Dirs.deleteTree(stateDir);
  }
}
