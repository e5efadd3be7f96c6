package dev.ledger.broker;

import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
 * A single-node KRaft broker (broker and controller in one process) for {@code ledger up} and for
 * integration tests. The log directory is formatted once and reused, so data survives a restart on
 * the same directory.
 *
 * <p>{@link #start(Path, int, BrokerCredentials)} (what {@code ledger up} runs) requires SASL/PLAIN
 * on every listener, the controller's included: without it any local user could read every tenant's
 * records and write forged notices. {@link #start(Path, int)} is unauthenticated, for tests.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, BrokerCredentials.generate())) {
 *   Map<String, Object> clientConfig = kafka.clientSettings().config();
 * }
 * }</pre>
 *
 * <p>Needs the optional {@code org.apache.kafka:kafka_2.13} dependency on the classpath.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final String CLUSTER_ID_FILE = "cluster.id";

  /**
   * A single node's broker session: after a {@code kill -9} the restarted controller still counts
   * the dead broker's registration as live until its session expires, and refuses the new one
   * (DUPLICATE_BROKER_REGISTRATION) until then: with Kafka's 9 s that was 5 to 9 s of every restart
   * after a crash (fault campaign, 2026-12-05). Heartbeats go to the controller in the same
   * process, so a shorter session with more frequent heartbeats tolerates as many missed ones (8).
   */
  private static final Map<String, String> SINGLE_NODE =
      Map.of("broker.session.timeout.ms", "4000", "broker.heartbeat.interval.ms", "500");

  private static final String BROKER_LISTENER = "BROKER";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final KafkaRaftServer server;
  private final int port;
  private final int controllerPort;
  private final Path logDir;
  private final KafkaClientSettings clientSettings;
  private boolean closed;

  private EmbeddedKafka(
      KafkaRaftServer server,
      int port,
      int controllerPort,
      Path logDir,
      KafkaClientSettings clientSettings) {
    this.server = server;
    this.port = port;
    this.controllerPort = controllerPort;
    this.logDir = logDir;
    this.clientSettings = clientSettings;
  }

  /**
   * Formats {@code dir} if needed and starts an unauthenticated (PLAINTEXT) broker on 127.0.0.1,
   * for tests.
   *
   * @param dir the data directory (created if absent)
   * @param port the client port, or 0 for a free one
   */
  public static EmbeddedKafka start(Path dir, int port) {
    return start(dir, port, Map.of());
  }

  /** As {@link #start(Path, int)}, with extra broker properties that override the defaults. */
  public static EmbeddedKafka start(Path dir, int port, Map<String, String> overrides) {
    return start(dir, port, null, overrides);
  }

  /**
   * Formats {@code dir} if needed and starts a broker on 127.0.0.1 that accepts only {@code
   * credentials} (SASL/PLAIN) on its client, inter-broker and controller listeners. A directory
   * formatted by an unauthenticated start is reused as it is: PLAIN keeps nothing in the metadata.
   *
   * @param dir the data directory (created if absent)
   * @param port the client port, or 0 for a free one
   * @param credentials the one account clients log in with, never null
   */
  public static EmbeddedKafka start(Path dir, int port, BrokerCredentials credentials) {
    return start(dir, port, Objects.requireNonNull(credentials, "credentials"), Map.of());
  }

  private static EmbeddedKafka start(
      Path dir, int port, BrokerCredentials credentials, Map<String, String> overrides) {
    try {
      int brokerPort = port == 0 ? freePort() : port;
      int controllerPort = freePort();
      while (controllerPort == brokerPort) { // two free-port probes may hand out the same port
        controllerPort = freePort();
      }
      Map<String, String> props = new java.util.HashMap<>(SINGLE_NODE);
      props.putAll(overrides);
      return start(
          dir,
          new Node(1, brokerPort, controllerPort, "1@127.0.0.1:" + controllerPort, null),
          credentials,
          props);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free ports for Kafka", e);
    }
  }

  /**
   * One combined node (broker and controller) of a cluster whose controllers are {@code voters}.
   *
   * @param nodeId this node's id, one of the voters
   * @param port the client port
   * @param controllerPort this node's controller port
   * @param voters {@code controller.quorum.voters}: {@code id@host:port} of every node,
   *     comma-separated
   * @param clusterId the id every node of the cluster is formatted with; null for a single node,
   *     which keeps a random one in its directory's {@code cluster.id}
   */
  public record Node(int nodeId, int port, int controllerPort, String voters, String clusterId) {}

  /**
   * Formats {@code dir} if needed and starts one unauthenticated node of a multi-node KRaft cluster
   * on 127.0.0.1. Every node of a cluster is formatted with the same {@link Node#clusterId()}.
   * {@link KafkaRaftServer#startup()} waits for the controller quorum, so start the nodes of a new
   * cluster concurrently.
   *
   * @param dir this node's data directory (created if absent)
   * @param node its id, ports and the quorum
   * @param overrides broker properties over the defaults (replication of internal topics, for one)
   */
  public static EmbeddedKafka startNode(Path dir, Node node, Map<String, String> overrides) {
    return start(dir, node, null, overrides);
  }

  private static EmbeddedKafka start(
      Path dir, Node node, BrokerCredentials credentials, Map<String, String> overrides) {
    Objects.requireNonNull(dir, "dir");
    try {
      Files.createDirectories(dir);
      Path logDir = dir.resolve("kraft").toAbsolutePath();
      int brokerPort = node.port();
      int controllerPort = node.controllerPort();
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", Integer.toString(node.nodeId()));
      props.put("controller.quorum.voters", node.voters());
      String broker = credentials == null ? "PLAINTEXT" : BROKER_LISTENER;
      props.put(
          "listeners",
          broker
              + "://127.0.0.1:"
              + brokerPort
              + ","
              + CONTROLLER_LISTENER
              + "://127.0.0.1:"
              + controllerPort);
      props.put("advertised.listeners", broker + "://127.0.0.1:" + brokerPort);
      props.put("controller.listener.names", CONTROLLER_LISTENER);
      props.put("inter.broker.listener.name", broker);
      if (credentials == null) {
        props.put(
            "listener.security.protocol.map",
            "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
      } else {
        requireLogin(props, credentials);
      }
      props.put("log.dirs", logDir.toString());
      // A single node can only replicate once; these internal topics default to 3 (the nodes of a
      // cluster override them).
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
      format(logDir, config, node);
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      KafkaClientSettings client =
          new KafkaClientSettings(
              "127.0.0.1:" + brokerPort,
              credentials == null ? Map.of() : credentials.clientProperties());
      return new EmbeddedKafka(server, brokerPort, controllerPort, logDir, client);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Kafka data under " + dir, e);
    }
  }

  /**
   * SASL/PLAIN on both listeners. The broker and the controller are clients of each other (and of
   * themselves): each listener's JAAS entry holds the login they use as well as the user accepted.
   */
  private static void requireLogin(Properties props, BrokerCredentials credentials) {
    props.put(
        "listener.security.protocol.map",
        BROKER_LISTENER
            + ":"
            + BrokerCredentials.SECURITY_PROTOCOL
            + ","
            + CONTROLLER_LISTENER
            + ":"
            + BrokerCredentials.SECURITY_PROTOCOL);
    props.put("sasl.enabled.mechanisms", BrokerCredentials.MECHANISM);
    props.put("sasl.mechanism.inter.broker.protocol", BrokerCredentials.MECHANISM);
    props.put("sasl.mechanism.controller.protocol", BrokerCredentials.MECHANISM);
    for (String listener : List.of(BROKER_LISTENER, CONTROLLER_LISTENER)) {
      String prefix = "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
      props.put(prefix + "sasl.enabled.mechanisms", BrokerCredentials.MECHANISM);
      props.put(
          prefix + BrokerCredentials.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
          credentials.listenerJaasConfig());
    }
  }

  private static void format(Path logDir, KafkaConfig config, Node node) throws IOException {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return;
    }
    Path idFile = logDir.getParent().resolve(CLUSTER_ID_FILE);
    String clusterId =
        node.clusterId() != null
            ? node.clusterId()
            : Files.exists(idFile) ? Files.readString(idFile).trim() : Uuid.randomUuid().toString();
    Files.createDirectories(logDir);
    try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
      new Formatter()
          .setPrintStream(quiet)
          .setNodeId(node.nodeId())
          .setClusterId(clusterId)
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setIgnoreFormatted(true)
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
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
    return clientSettings.bootstrapServers();
  }

  /**
   * What a client needs to connect: the bootstrap servers and, when the broker requires it, the
   * login.
   */
  public KafkaClientSettings clientSettings() {
    return clientSettings;
  }

  public int port() {
    return port;
  }

  /**
   * {@code 127.0.0.1:port} of the controller listener (a client's {@code bootstrap.controllers}),
   * same login.
   */
  public String controllerServers() {
    return "127.0.0.1:" + controllerPort;
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
