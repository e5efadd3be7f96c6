package dev.ledger.ops.cli;

import dev.ledger.broker.LocalCluster;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ledger cluster up}: a local Kafka cluster of several brokers to run ledger roles against,
 * two of each (README, "Running on a cluster").
 */
@Command(
    name = "cluster",
    description = "A local multi-broker Kafka cluster to try the ledger scaled out.",
    subcommands = {ClusterCommand.Up.class})
final class ClusterCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Starts the brokers, prints how to reach them and runs until Ctrl-C. */
  @Command(
      name = "up",
      description =
          "Run N combined KRaft brokers in this process on 127.0.0.1 (ports 29092...; data under"
              + " data/cluster); Ctrl-C stops them.")
  static final class Up implements Runnable {

    @Option(
        names = "--brokers",
        defaultValue = "3",
        description = "brokers, each also a controller voter (default: 3)")
    int brokers;

    @Option(
        names = "--data-dir",
        paramLabel = "DIR",
        defaultValue = "data",
        description = "data directory; the cluster lives in DIR/cluster (default: data)")
    Path dataDir;

    @Option(
        names = "--port",
        defaultValue = "" + LocalCluster.DEFAULT_FIRST_PORT,
        description =
            "client port of the first broker, the others following; controllers 100 above"
                + " (default: 29092)")
    int port;

    @Override
    public void run() {
      if (brokers < 1 || brokers > 9) {
        throw new UserException("--brokers must be 1 to 9, not " + brokers);
      }
      if (port < 1 || port + LocalCluster.CONTROLLER_PORT_OFFSET + brokers > 65535) {
        throw new UserException("--port " + port + " leaves no room for " + brokers + " brokers");
      }
      Path dir = dataDir.resolve("cluster");
      long t0 = System.nanoTime();
      System.out.printf("ledger cluster: starting %d brokers ...%n", brokers);
      LocalCluster cluster = LocalCluster.start(dir, brokers, port);
      Path clientFile = dir.resolve(KafkaClientSettings.FILE_NAME);
      try {
        cluster.clientSettings().write(clientFile);
      } catch (IOException e) {
        cluster.close();
        throw new UncheckedIOException("cannot write " + clientFile, e);
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    System.out.println("ledger cluster: stopping ...");
                    cluster.close();
                    System.out.println("ledger cluster: stopped");
                    stopped.countDown();
                  },
                  "ledger-cluster-shutdown"));
      System.out.printf(
          "ledger cluster: %d brokers ready in %.1f s (data in %s). Ctrl-C to stop.%n",
          brokers, (System.nanoTime() - t0) / 1e9, dir);
      System.out.printf("  bootstrap  %s%n", cluster.bootstrapServers());
      System.out.printf(
          "  topics     replication %d%s%n",
          cluster.replication(), cluster.replication() >= 3 ? ", min.insync.replicas 2" : "");
      System.out.printf(
          "  try        ./ledger streams --bootstrap-servers %s --set streams.instances=2"
              + " --data-dir data/streams-1%n",
          cluster.bootstrapServers());
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
