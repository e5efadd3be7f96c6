package dev.ledger.export.command;

import dev.ledger.export.ExportException;
import dev.ledger.export.ExportRequest;
import dev.ledger.export.Exporter;
import dev.ledger.export.PreparedExport;
import dev.ledger.export.ProgressListener;
import dev.ledger.export.log.IntegrityLog;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code ledger export --tenant T [--from F] [--to T] [--format ndjson|csv|ocsf]
 * [--previous-tree-size N] [--output FILE]}: writes an export of the log under {@code
 * dataDir/integrity}, with progress and errors on {@code messages}.
 */
public final class ExportCommand {

  /** Exit status: done. */
  public static final int OK = 0;

  /** Exit status: the export could not be made (bad arguments, no checkpoint, I/O). */
  public static final int FAILED = 2;

  private ExportCommand() {}

  /**
   * Runs the command. {@code output} null writes to {@code stdout}; a file is written under a
   * temporary name and renamed when complete, so a failed export leaves no partial file. Returns
   * the exit status; never throws for bad input.
   */
  public static int run(
      Path dataDir,
      String tenant,
      String from,
      String to,
      String format,
      String previousTreeSize,
      Path output,
      OutputStream stdout,
      PrintStream messages) {
    try {
      ExportRequest request = ExportRequest.parse(tenant, from, to, format, previousTreeSize);
      PreparedExport export =
          new Exporter(dataDir.resolve(IntegrityLog.DIRECTORY)).prepare(request);
      messages.println(
          "exporting "
              + export.records()
              + " records of "
              + tenant
              + " (leaves "
              + export.firstLeaf()
              + ".."
              + (export.firstLeaf() + export.records())
              + ", checkpoint tree_size "
              + export.checkpoint().treeSize()
              + ", root "
              + export.checkpoint().rootHash()
              + ")");
      ProgressListener progress = ProgressListener.printingTo(messages, "exported");
      if (output == null) {
        export.writeTo(stdout, progress);
      } else {
        Path tmp = output.resolveSibling(output.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(tmp)) {
          export.writeTo(out, progress);
        }
        Files.move(
            tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        messages.println("wrote " + output);
      }
      return OK;
    } catch (ExportException e) {
      messages.println("export failed: " + e.getMessage());
      e.details().forEach(d -> messages.println("  " + d));
      return FAILED;
    } catch (IOException e) {
      messages.println("export failed: " + e.getMessage());
      return FAILED;
    }
  }
}
