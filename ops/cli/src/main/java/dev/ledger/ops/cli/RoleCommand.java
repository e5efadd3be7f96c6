package dev.ledger.ops.cli;

import dev.ledger.runtime.LedgerNode;
import dev.ledger.runtime.config.ConfigKey;
import dev.ledger.runtime.config.LedgerConfig;
import java.util.EnumSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Commands that run one role of the ledger against an external Kafka cluster, to scale each on its
 * own.
 */
abstract class RoleCommand implements Runnable {

  @Mixin ConfigOptions options;

  private final EnumSet<LedgerNode.Role> roles;
  private final String name;

  RoleCommand(String name, LedgerNode.Role first, LedgerNode.Role... rest) {
    this.name = name;
    this.roles = EnumSet.of(first, rest);
  }

  @Override
  public void run() {
    LedgerConfig config = options.load();
    if (config.externalKafka().isEmpty()) {
      throw new UserException(
          "'ledger "
              + name
              + "' runs against a Kafka cluster: give --bootstrap-servers HOST:PORT"
              + " (or kafka.bootstrap.servers / "
              + LedgerConfig.envName(ConfigKey.BOOTSTRAP_SERVERS.key())
              + "), or --kafka-config FILE with bootstrap.servers (data/kafka-client.properties for the broker of a"
              + " 'ledger up'); 'ledger up' runs everything with an embedded broker.");
    }
    UpCommand.runNode(config, roles, "ledger " + name);
  }

  @Command(name = "streams", description = "Run the Kafka Streams processor only.")
  static final class Streams extends RoleCommand {
    Streams() {
      super("streams", LedgerNode.Role.STREAMS);
    }
  }

  @Command(
      name = "api",
      description = "Run the HTTP API with its own local index, indexer and notary.")
  static final class Api extends RoleCommand {
    Api() {
      super("api", LedgerNode.Role.INDEX, LedgerNode.Role.API);
    }
  }

  @Command(name = "index", description = "Run the indexer only (builds the local Lucene index).")
  static final class Index extends RoleCommand {
    Index() {
      super("index", LedgerNode.Role.INDEX);
    }
  }
}
