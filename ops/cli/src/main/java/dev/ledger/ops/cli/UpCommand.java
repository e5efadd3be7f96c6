package dev.ledger.ops.cli;

import dev.ledger.runtime.LedgerNode;
import dev.ledger.runtime.config.LedgerConfig;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ledger up}: every role in one JVM. Without {@code --bootstrap-servers} it starts an
 * embedded broker with its data under {@code data/}; Ctrl-C stops it cleanly and a second {@code
 * ledger up} finds everything where it was.
 */
@Command(
    name = "up",
    description =
        "Run the whole ledger in one process (embedded Kafka unless --bootstrap-servers is given).")
public final class UpCommand implements Runnable {

  @Mixin ConfigOptions options;

  @Override
  public void run() {
    runNode(options.load(), EnumSet.allOf(LedgerNode.Role.class), "ledger");
  }

  /** Starts a node, prints where everything is, and blocks until the JVM is asked to stop. */
  static void runNode(LedgerConfig config, EnumSet<LedgerNode.Role> roles, String what) {
    long t0 = System.nanoTime();
    System.out.println(what + ": starting ...");
    LedgerNode node = LedgerNode.start(config, roles, System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println(what + ": stopping ...");
                  node.close();
                  System.out.println(what + ": stopped");
                  stopped.countDown();
                },
                "ledger-shutdown"));
    if (node.newAdminKey() != null) {
      System.out.println();
      System.out.println("  admin key (shown once, kept in " + node.adminKeyFile() + "):");
      System.out.println("    " + node.newAdminKey());
      System.out.println();
    } else if (node.adminKeyFile() != null) {
      System.out.println("  admin key  in " + node.adminKeyFile());
    }
    System.out.printf(
        "%s: ready in %.1f s. Ctrl-C to stop.%n", what, (System.nanoTime() - t0) / 1e9);
    if (node.httpPort() > 0) {
      System.out.printf(
          "  try: curl -s -H \"Authorization: Bearer $(cat %s)\" http://%s:%d/v1/audit%n",
          node.adminKeyFile(),
          config.string(dev.ledger.runtime.config.ConfigKey.HTTP_HOST),
          node.httpPort());
    }
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
