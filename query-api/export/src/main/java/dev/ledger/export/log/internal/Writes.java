package dev.ledger.export.log.internal;

import java.io.OutputStream;
import java.nio.file.Path;

/**
 * What every write of the integrity log goes through on its way to a file: the file's own stream in
 * production; in tests, a stream that fails part-way as a full disk does, to show that the log
 * recovers from it (nothing half-written survives, nothing is skipped or doubled).
 */
@FunctionalInterface
public interface Writes {

  /** Writes go straight to the file. */
  Writes DIRECT = (file, out) -> out;

  /** The stream to write {@code file} through, given {@code out}, the file's own stream. */
  OutputStream wrap(Path file, OutputStream out);
}
