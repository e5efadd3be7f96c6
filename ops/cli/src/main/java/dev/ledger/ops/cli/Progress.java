package dev.ledger.ops.cli;

import java.io.PrintStream;

/**
 * A one-line progress report on stderr (count, rate, rejected, ETA when the total is known),
 * redrawn at most every 500 ms; plain lines instead when stderr is not a terminal.
 */
final class Progress {

  private final String label;
  private final long total;
  private final PrintStream err = System.err;
  private final boolean terminal = System.console() != null;
  private final long start = System.nanoTime();
  private long lastDraw;

  Progress(String label, long total) {
    this.label = label;
    this.total = total;
  }

  void update(long done, long rejected) {
    long now = System.nanoTime();
    if (now - lastDraw < (terminal ? 500_000_000L : 5_000_000_000L)) {
      return;
    }
    lastDraw = now;
    draw(done, rejected, false);
  }

  void done(long done, long rejected) {
    draw(done, rejected, true);
  }

  private void draw(long done, long rejected, boolean last) {
    double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
    double rate = done / seconds;
    StringBuilder line =
        new StringBuilder(String.format("%s: %,d events  %,.0f/s", label, done, rate));
    if (total > 0) {
      line.append(String.format("  %d%%", Math.min(100, done * 100 / total)));
      if (!last && rate > 0) {
        long eta = (long) ((total - done) / rate);
        line.append(String.format("  ETA %d:%02d", eta / 60, eta % 60));
      }
    }
    if (rejected > 0) {
      line.append(String.format("  rejected %,d", rejected));
    }
    if (last) {
      line.append(String.format("  (%.1f s)", seconds));
    }
    if (terminal) {
      err.print("\r" + line + "   " + (last ? "\n" : ""));
    } else if (last || done > 0) {
      err.println(line);
    }
    err.flush();
  }
}
