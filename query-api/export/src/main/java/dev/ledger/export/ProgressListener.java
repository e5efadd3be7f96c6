package dev.ledger.export;

import java.io.PrintStream;

/** Told how far a long export or verification has come. Implementations must be cheap. */
@FunctionalInterface
public interface ProgressListener {

  /** Ignores progress. */
  ProgressListener NONE = (done, total) -> {};

  /**
   * {@code done} of {@code total} records are written (or checked); {@code total} may be -1 if
   * unknown.
   */
  void progress(long done, long total);

  /**
   * Prints a line to {@code out} at most once a second and at the end, e.g. {@code exported
   * 40000/100000 (40%)}.
   */
  static ProgressListener printingTo(PrintStream out, String verb) {
    return new ProgressListener() {
      private long lastNanos;

      @Override
      public void progress(long done, long total) {
        long now = System.nanoTime();
        if (done == total || now - lastNanos >= 1_000_000_000L) {
          lastNanos = now;
          out.println(
              total > 0
                  ? verb + " " + done + "/" + total + " (" + (done * 100 / total) + "%)"
                  : verb + " " + done);
        }
      }
    };
  }
}
