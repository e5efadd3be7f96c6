package dev.ledger.export.command;

import dev.ledger.export.ProgressListener;
import dev.ledger.export.VerificationReport;
import dev.ledger.export.Verifier;
import dev.ledger.export.sign.Checkpoint;
import dev.ledger.export.sign.PublicKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.PublicKey;

/**
 * {@code ledger verify EXPORT [--public-key FILE] [--previous-checkpoint FILE]}: checks an NDJSON
 * export offline and prints the verdict and every problem to {@code out}. The public key is PEM or
 * JWK; without one, {@code defaultPublicKey} is used if given (for example {@code
 * data/notary-ed25519.pub.pem} on the ledger's own machine).
 */
public final class VerifyCommand {

  /** Exit status: the export verified. */
  public static final int OK = 0;

  /** Exit status: the export did not verify; the output says why. */
  public static final int INVALID = 1;

  /** Exit status: the key or previous checkpoint could not be read. */
  public static final int FAILED = 2;

  private VerifyCommand() {}

  /** Runs the command and returns the exit status; never throws for bad input. */
  public static int run(
      Path export,
      Path publicKey,
      Path defaultPublicKey,
      Path previousCheckpoint,
      PrintStream out) {
    PublicKey key = null;
    Checkpoint previous = null;
    Path keyFile = publicKey != null ? publicKey : defaultPublicKey;
    try {
      if (keyFile != null) {
        key = PublicKeys.read(keyFile);
      }
      if (previousCheckpoint != null) {
        previous = Verifier.readCheckpoint(previousCheckpoint);
      }
    } catch (IOException | IllegalArgumentException e) {
      out.println("cannot verify: " + e.getMessage());
      return FAILED;
    }
    VerificationReport report =
        Verifier.verify(export, key, previous, ProgressListener.printingTo(out, "verified"));
    report.lines().forEach(out::println);
    return report.ok() ? OK : INVALID;
  }
}
