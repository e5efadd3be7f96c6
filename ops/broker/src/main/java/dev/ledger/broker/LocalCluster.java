package dev.ledger.broker;

import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster of {@code N} combined KRaft nodes (each a broker and a controller voter) in one
 * JVM, on 127.0.0.1, unauthenticated: {@code ledger cluster up} and the cluster tests. The quorum
 * has {@code N} voters, so with three nodes any one may stop and the cluster goes on. Kafka's own
 * topics (consumer offsets, transactions) get {@link #replication()} replicas and, from three on,
 * two in sync, like the ledger's topics.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start(dir, 3, 0)) {
 *   String bootstrap = cluster.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {

  /** The first client port of {@code ledger cluster up}; node {@code i} listens on this plus i. */
  public static final int DEFAULT_FIRST_PORT = 29092;

  /** Controller ports are the client ports plus this. */
  public static final int CONTROLLER_PORT_OFFSET = 100;

  private static final String CLUSTER_ID_FILE = "cluster.id";

  private final Path dir;
  private final List<EmbeddedKafka.Node> nodes;
  private final Set<Integer> abrupt;
  private final EmbeddedKafka[] running;

  private LocalCluster(Path dir, List<EmbeddedKafka.Node> nodes, Set<Integer> abrupt) {
    this.dir = dir;
    this.nodes = List.copyOf(nodes);
    this.abrupt = Set.copyOf(abrupt);
    this.running = new EmbeddedKafka[nodes.size()];
  }

  /**
   * Starts {@code brokers} nodes with their data under {@code dir/node-<id>} (kept: a second start
   * on the same directory and ports finds its topics again) and waits until all of them run.
   *
   * @param firstPort client port of the first node, the others following it, their controllers
   *     {@value #CONTROLLER_PORT_OFFSET} above; 0 for free ports (tests)
   */
  public static LocalCluster start(Path dir, int brokers, int firstPort) {
    return start(dir, brokers, firstPort, Set.of());
  }

  /**
   * As {@link #start(Path, int, int)}, with the nodes {@code abrupt} (0-based) started without
   * controlled shutdown ({@code controlled.shutdown.enable=false}, which Kafka reads once, at a
   * broker's start): {@link #stop} of such a node does not hand its leaderships over nor tell the
   * controller it leaves; the others find out when its heartbeats stop, as after a crash. It still
   * closes its logs cleanly (no log recovery on restart), so it is a crash to the cluster, not to
   * its own disk.
   */
  public static LocalCluster start(Path dir, int brokers, int firstPort, Set<Integer> abrupt) {
    if (brokers < 1) {
      throw new IllegalArgumentException("a cluster needs at least one broker, not " + brokers);
    }
    try {
      Files.createDirectories(dir);
      Path idFile = dir.resolve(CLUSTER_ID_FILE);
      String clusterId;
      if (Files.exists(idFile)) {
        clusterId = Files.readString(idFile).trim();
      } else {
        clusterId = Uuid.randomUuid().toString();
        Files.writeString(idFile, clusterId);
      }
      List<Integer> ports = ports(brokers, firstPort);
      String voters =
          java.util.stream.IntStream.range(0, brokers)
              .mapToObj(i -> (i + 1) + "@127.0.0.1:" + ports.get(brokers + i))
              .collect(Collectors.joining(","));
      List<EmbeddedKafka.Node> nodes = new ArrayList<>();
      for (int i = 0; i < brokers; i++) {
        nodes.add(
            new EmbeddedKafka.Node(i + 1, ports.get(i), ports.get(brokers + i), voters, clusterId));
      }
      LocalCluster cluster = new LocalCluster(dir, nodes, abrupt);
      try {
        // Each node's startup waits for a controller quorum, which needs the others running.
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (int i = 0; i < brokers; i++) {
          int n = i;
          starts.add(CompletableFuture.runAsync(() -> cluster.startNode(n)));
        }
        CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        return cluster;
      } catch (CompletionException e) {
        cluster.close();
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the cluster's data under " + dir, e);
    }
  }

  /** Client ports then controller ports: fixed from {@code firstPort}, or free ones for 0. */
  private static List<Integer> ports(int brokers, int firstPort) throws IOException {
    List<Integer> ports = new ArrayList<>();
    if (firstPort > 0) {
      for (int i = 0; i < brokers; i++) {
        ports.add(firstPort + i);
      }
      for (int i = 0; i < brokers; i++) {
        ports.add(firstPort + CONTROLLER_PORT_OFFSET + i);
      }
      return ports;
    }
    Set<Integer> seen = new HashSet<>();
    while (ports.size() < 2 * brokers) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (seen.add(s.getLocalPort())) { // two probes may hand out the same port
          ports.add(s.getLocalPort());
        }
      }
    }
    return ports;
  }

  /** Replicas of Kafka's own topics: as many as there are nodes, at most three. */
  public int replication() {
    return Math.min(nodes.size(), 3);
  }

  private Map<String, String> brokerSettings(int i) {
    String replicas = Integer.toString(replication());
    String inSync = replication() >= 3 ? "2" : "1";
    return Map.of(
        "offsets.topic.replication.factor", replicas,
        "transaction.state.log.replication.factor", replicas,
        "transaction.state.log.min.isr", inSync,
        "share.coordinator.state.topic.replication.factor", replicas,
        "share.coordinator.state.topic.min.isr", inSync,
        "default.replication.factor", replicas,
        "controlled.shutdown.enable", Boolean.toString(!abrupt.contains(i)));
  }

  private void startNode(int i) {
    EmbeddedKafka.Node node = nodes.get(i);
    running[i] =
        EmbeddedKafka.startNode(dir.resolve("node-" + node.nodeId()), node, brokerSettings(i));
  }

  /** {@code host:port,...} of every node, running or not. */
  public String bootstrapServers() {
    return nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
  }

  /** What a client needs to connect (no login: the local cluster is unauthenticated). */
  public KafkaClientSettings clientSettings() {
    return KafkaClientSettings.plaintext(bootstrapServers());
  }

  /** How many nodes the cluster has, running or not. */
  public int size() {
    return nodes.size();
  }

  /** The data directory. */
  public Path dir() {
    return dir;
  }

  /**
   * Stops node {@code i} (0-based), as a broker lost: a controlled shutdown, or none for a node
   * started {@code abrupt}; its data stays for {@link #restart}.
   */
  public void stop(int i) {
    EmbeddedKafka k;
    synchronized (this) {
      k = running[i];
      running[i] = null;
    }
    if (k != null) {
      k.close();
    }
  }

  /** Starts node {@code i} again on its data and ports, after {@link #stop}. */
  public synchronized void restart(int i) {
    if (running[i] == null) {
      startNode(i);
    }
  }

  /**
   * Stops every node at once (one after the other, the last ones would wait for a quorum that is
   * gone); safe to call twice.
   */
  @Override
  public void close() {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (int i = 0; i < running.length; i++) {
      int n = i;
      stops.add(CompletableFuture.runAsync(() -> stop(n)));
    }
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
  }
}
