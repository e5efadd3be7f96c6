package dev.ledger.ops.cli;

import dev.ledger.runtime.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code ledger} command; every capability is a subcommand. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    versionProvider = LedgerCommand.Version.class,
    description = "An event-sourced audit and delegation-chain ledger for AI agents.",
    subcommands = {
      UpCommand.class,
      RoleCommand.Streams.class,
      RoleCommand.Api.class,
      RoleCommand.Index.class,
      ClusterCommand.class,
      AuditorCommands.Token.class,
      AuditorCommands.Descendants.class,
      AuditorCommands.Authority.class,
      AuditorCommands.History.class,
      AuditorCommands.Audit.class,
      AuditorCommands.Tail.class,
      AuditorCommands.Revoke.class,
      ReplayCommand.class,
      GenerateCommand.class,
      ExportCommands.Export.class,
      ExportCommands.Verify.class,
      ReportCommand.class,
      ExampleCommand.class,
      KeysCommand.class,
      SsfCommands.class,
      ConfigCommand.class,
      CommandLine.HelpCommand.class
    })
public final class LedgerCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The configured command line: user errors print one clear line, never a stack trace. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new LedgerCommand());
    // A token argument "@token.bc" is read whole by the report commands; picocli's own @file
    // expansion would split a file's bytes into arguments.
    cl.setExpandAtFiles(false);
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          String message =
              e instanceof ConfigException || e instanceof UserException
                  ? e.getMessage()
                  : e.getClass().getSimpleName() + ": " + e.getMessage();
          commandLine.getErr().println("ledger: " + message);
          if (!(e instanceof ConfigException || e instanceof UserException)) {
            org.slf4j.LoggerFactory.getLogger(LedgerCommand.class).debug("command failed", e);
          }
          return e instanceof UserException u ? u.exitCode() : 1;
        });
    return cl;
  }

  /** Reads the version from the jar manifest when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LedgerCommand.class.getPackage().getImplementationVersion();
      return new String[] {"ledger " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
