package dev.ledger.schemas.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft broker (broker and controller in one process) for {@code ledger up} and
 * for integration tests. The log directory is formatted once and reused, so data survives a
 * restart on the same directory.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) {
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 *
 * <p>Needs the optional {@code org.apache.kafka:kafka_2.13} dependency on the classpath.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final String CLUSTER_ID_FILE = "cluster.id";

  private final KafkaRaftServer server;
  private final int port;
  private final Path logDir;
  private boolean closed;

  private EmbeddedKafka(KafkaRaftServer server, int port, Path logDir) {
    this.server = server;
    this.port = port;
    this.logDir = logDir;
  }

  /**
   * Formats {@code dir} if needed and starts a broker on 127.0.0.1.
   *
   * @param dir the data directory (created if absent)
   * @param port the client port, or 0 for a free one
   */
  public static EmbeddedKafka start(Path dir, int port) {
    return start(dir, port, Map.of());
  }

  /** As {@link #start(Path, int)}, with extra broker properties that override the defaults. */
  public static EmbeddedKafka start(Path dir, int port, Map<String, String> overrides) {
    Objects.requireNonNull(dir, "dir");
    try {
      Files.createDirectories(dir);
      Path logDir = dir.resolve("kraft").toAbsolutePath();
      int brokerPort = port == 0 ? freePort() : port;
      int controllerPort = freePort();
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
      props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
      props.put("controller.listener.names", "CONTROLLER");
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("log.dirs", logDir.toString());
      // A single node can only replicate once; these internal topics default to 3.
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "6");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("transaction.state.log.num.partitions", "6");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("num.partitions", "1");
      props.put("auto.create.topics.enable", "false");
      props.put("log.cleaner.dedupe.buffer.size", String.valueOf(16L * 1024 * 1024));
      props.putAll(overrides);
      KafkaConfig config = new KafkaConfig(props, false);
      format(logDir, config);
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      return new EmbeddedKafka(server, brokerPort, logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Kafka data under " + dir, e);
    }
  }

  private static void format(Path logDir, KafkaConfig config) throws IOException {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    Path idFile = logDir.getParent().resolve(CLUSTER_ID_FILE);
    String clusterId = Files.exists(idFile) ? Files.readString(idFile).trim() : Uuid.randomUuid().toString();
    Files.createDirectories(logDir);
    try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
      new Formatter()
          .setPrintStream(quiet)
          .setNodeId(1)
          .setClusterId(clusterId)
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName("CONTROLLER")
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
    }
    Files.writeString(idFile, clusterId);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /** {@code 127.0.0.1:port} for Kafka clients. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path logDir() {
    return logDir;
  }

  /** Stops the broker and waits for it; safe to call twice. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
  }
}
