package dev.ledger.ops.cli;

import dev.ledger.ops.config.ConfigKey;
import dev.ledger.ops.config.LedgerConfig;
import dev.ledger.ops.run.LedgerNode;
import java.util.EnumSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Commands that run one role of the ledger against an external Kafka cluster, to scale each on its own. */
abstract class RoleCommand implements Runnable {

  @Mixin
  ConfigOptions options;

  abstract EnumSet<LedgerNode.Role> roles();

  abstract String name();

  @Override
  public void run() {
    LedgerConfig config = options.load();
    if (config.optional(ConfigKey.BOOTSTRAP_SERVERS) == null) {
      throw new UserException("'ledger " + name() + "' runs against a Kafka cluster: give --bootstrap-servers HOST:PORT"
          + " (or kafka.bootstrap.servers / " + LedgerConfig.envName(ConfigKey.BOOTSTRAP_SERVERS.key())
          + "); 'ledger up' runs everything with an embedded broker.");
    }
    UpCommand.runNode(config, roles(), "ledger " + name());
  }

  @Command(name = "streams", description = "Run the Kafka Streams processor only.")
  static final class Streams extends RoleCommand {
    @Override
    EnumSet<LedgerNode.Role> roles() {
      return EnumSet.of(LedgerNode.Role.STREAMS);
    }

    @Override
    String name() {
      return "streams";
    }
  }

  @Command(name = "api", description = "Run the HTTP API with its own local index (indexer included).")
  static final class Api extends RoleCommand {
    @Override
    EnumSet<LedgerNode.Role> roles() {
      return EnumSet.of(LedgerNode.Role.INDEX, LedgerNode.Role.API);
    }

    @Override
    String name() {
      return "api";
    }
  }

  @Command(name = "index", description = "Run the indexer only (builds the local Lucene index).")
  static final class Index extends RoleCommand {
    @Override
    EnumSet<LedgerNode.Role> roles() {
      return EnumSet.of(LedgerNode.Role.INDEX);
    }

    @Override
    String name() {
      return "index";
    }
  }
}
