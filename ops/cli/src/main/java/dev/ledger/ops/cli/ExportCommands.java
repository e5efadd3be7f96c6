package dev.ledger.ops.cli;

import dev.ledger.export.command.ExportCommand;
import dev.ledger.export.command.VerifyCommand;
import dev.ledger.export.sign.NotaryKey;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ledger export} and {@code ledger verify}: compliance exports and their offline check. */
final class ExportCommands {

  private ExportCommands() {}

  @Command(
      name = "export",
      description =
          "Export a tenant's audit trail for a period, with the signed checkpoint and proofs "
              + "an outsider verifies with 'ledger verify'. Reads the local data directory of a running or stopped ledger.")
  static final class Export implements Runnable {
    @Option(names = "--tenant", required = true)
    String tenant;

    @Option(names = "--from", description = "commit time, RFC 3339 (default: the beginning)")
    String from;

    @Option(names = "--to", description = "commit time, RFC 3339, exclusive (default: now)")
    String to;

    @Option(
        names = "--format",
        defaultValue = "ndjson",
        description = "ndjson, csv or ocsf (default: ndjson)")
    String format;

    @Option(
        names = "--previous-tree-size",
        description = "add a consistency proof to the checkpoint of this size you hold")
    String previousTreeSize;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "write here (default: stdout)")
    Path output;

    @Option(
        names = "--data-dir",
        defaultValue = "data",
        description = "the ledger's data directory (default: data)")
    Path dataDir;

    @Override
    public void run() {
      int code =
          ExportCommand.run(
              dataDir, tenant, from, to, format, previousTreeSize, output, System.out, System.err);
      if (code != ExportCommand.OK) {
        throw new UserException("export failed (see above)", code);
      }
    }
  }

  @Command(
      name = "verify",
      description =
          "Check an export offline: every record, the order, the count, the checkpoint signature "
              + "and consistency with an earlier checkpoint.")
  static final class Verify implements Runnable {
    @Parameters(paramLabel = "EXPORT")
    Path export;

    @Option(
        names = "--public-key",
        paramLabel = "FILE",
        description =
            "the notary's public key, PEM or JWK "
                + "(default: <data-dir>/"
                + NotaryKey.PUBLIC_PEM_FILE
                + ")")
    Path publicKey;

    @Option(
        names = "--previous-checkpoint",
        paramLabel = "FILE",
        description = "a checkpoint (or earlier export) you hold")
    Path previous;

    @Option(names = "--data-dir", defaultValue = "data")
    Path dataDir;

    @Override
    public void run() {
      int code =
          VerifyCommand.run(
              export, publicKey, dataDir.resolve(NotaryKey.PUBLIC_PEM_FILE), previous, System.out);
      if (code != VerifyCommand.OK) {
        throw new UserException(
            code == VerifyCommand.INVALID
                ? "the export does NOT verify"
                : "verification could not run",
            code);
      }
    }
  }
}
