package dev.ledger.bench.floor;

import dev.ledger.broker.BrokerCredentials;
import dev.ledger.broker.EmbeddedKafka;
import dev.ledger.index.Indexer;
import dev.ledger.index.IndexerSettings;
import dev.ledger.index.LedgerIndex;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import dev.ledger.streams.LedgerTopology;
import dev.ledger.streams.StreamsSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

  /**
   * What the process prints every 100 ms, followed by the documents its indexer has written, when
   * its shape is {@link FloorShape#indexed()}.
   */
  public static final String INDEXED = "indexed=";

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
    List<String> topics = new ArrayList<>(List.of(FloorShape.INPUT, FloorShape.OUTPUT));
    if (shape.indexed()) {
      // Every topic the ledger's indexer reads; the shape writes only ledger.audit.
      topics.addAll(
          List.of(
              Topics.AUDIT.name(),
              Topics.TOKENS.name(),
              Topics.ALERTS.name(),
              Topics.REVOCATIONS.name()));
    }
    try (Admin admin = Admin.create(client.config())) {
      admin
          .createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1)).toList())
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    LedgerIndex index = null;
    Indexer indexer = null;
    if (shape.indexed()) {
      index = LedgerIndex.open(dir.resolve("index"));
      indexer =
          Indexer.start(
              IndexerSettings.builder(kafka.bootstrapServers())
                  .consumerOverrides(client.config())
                  .build(),
              index,
              new SimpleMeterRegistry());
      Indexer progress = indexer;
      Thread reporter =
          new Thread(
              () -> {
                try {
                  while (true) {
                    System.out.println(INDEXED + progress.status().documentsIndexed());
                    System.out.flush();
                    Thread.sleep(100);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "floor-progress");
      reporter.setDaemon(true);
      reporter.start();
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
    if (indexer != null) {
      indexer.close();
      index.close();
    }
    kafka.close();
  }
}
