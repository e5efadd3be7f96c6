package dev.ledger.bench.floor;

import dev.ledger.broker.BrokerCredentials;
import dev.ledger.broker.EmbeddedKafka;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.streams.LedgerTopology;
import dev.ledger.streams.StreamsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The process a floor is measured in, started by {@link FloorBench} in a JVM of its own with the
 * launcher's flags and default heap, as {@code ledger up} is: the ledger's embedded broker (same
 * login, same broker settings) and, unless the shape is {@link FloorShape#BROKER}, one Kafka
 * Streams client with the ledger's own streams configuration ({@link LedgerTopology#streamsConfig}:
 * exactly-once, commit interval, lz4, fetch waits) running the shape's topology. So its CPU is the
 * broker's and the stream processor's alone.
 *
 * <p>Arguments: {@code <shape> <working directory> <partitions>}. It prints {@value #READY} once
 * the topics exist and the processor runs, the client settings being in {@code
 * <dir>/kafka-client.properties}, and stops when its standard input ends.
 */
public final class FloorProcess {

  /** The line the process prints when it can take events. */
  public static final String READY = "floor ready";

  private FloorProcess() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: FloorProcess <shape> <dir> <partitions>");
      System.exit(2);
    }
    FloorShape shape = FloorShape.valueOf(args[0]);
    Path dir = Path.of(args[1]).toAbsolutePath();
    int partitions = Integer.parseInt(args[2]);
    Path clientFile = dir.resolve(KafkaClientSettings.FILE_NAME);
    Files.createDirectories(dir);
    EmbeddedKafka kafka =
        EmbeddedKafka.start(dir.resolve("kafka"), 0, BrokerCredentials.loadOrGenerate(clientFile));
    KafkaClientSettings client = kafka.clientSettings();
    client.write(clientFile);
    try (Admin admin = Admin.create(client.config())) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(FloorShape.INPUT, partitions, (short) 1),
                  new NewTopic(FloorShape.OUTPUT, partitions, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    KafkaStreams streams = null;
    if (shape != FloorShape.BROKER) {
      StreamsSettings settings =
          StreamsSettings.builder(kafka.bootstrapServers())
              .applicationId("ledger-floor")
              .stateDir(dir.resolve("streams"))
              .overrides(client.stringConfig())
              .build();
      Properties config = LedgerTopology.streamsConfig(settings);
      streams = new KafkaStreams(shape.topology(), config);
      streams.start();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (streams.state() != KafkaStreams.State.RUNNING) {
        if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()) {
          throw new IllegalStateException("the floor's stream processor is " + streams.state());
        }
        Thread.sleep(50);
      }
    }
    System.out.println(READY);
    System.out.flush();
    // The bench holds our standard input: when it ends (closed, or the bench died), so do we.
    while (System.in.read() >= 0) {
      // nothing is sent on it
    }
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
    kafka.close();
  }
}
