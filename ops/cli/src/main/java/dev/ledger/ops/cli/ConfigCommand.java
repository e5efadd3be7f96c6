package dev.ledger.ops.cli;

import dev.ledger.runtime.config.ConfigKey;
import dev.ledger.runtime.config.LedgerConfig;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ledger config}: prints the effective configuration, secrets masked. */
@Command(
    name = "config",
    description =
        "Print the effective configuration (secrets masked) and where each value came from.")
public final class ConfigCommand implements Runnable {

  @Mixin ConfigOptions options;

  @Option(
      names = "--keys",
      description = "list every known key with its default and meaning instead")
  boolean keys;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    PrintWriter out = spec.commandLine().getOut();
    if (keys) {
      for (ConfigKey k : ConfigKey.values()) {
        out.printf(
            "%-30s %-8s default %-12s %s (env %s)%n",
            k.key(),
            k.type().name().toLowerCase(),
            k.defaultValue() == null ? "-" : k.defaultValue().isEmpty() ? "\"\"" : k.defaultValue(),
            k.description(),
            LedgerConfig.envName(k.key()));
      }
      return;
    }
    options.load().describe().forEach(out::println);
    out.flush();
  }
}
