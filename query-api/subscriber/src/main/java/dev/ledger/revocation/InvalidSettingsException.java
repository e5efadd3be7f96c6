package dev.ledger.revocation;

import java.util.List;

/** Settings that cannot work, with every problem found (not only the first). */
public final class InvalidSettingsException extends IllegalArgumentException {

  private final List<String> problems;

  public InvalidSettingsException(List<String> problems) {
    super("invalid revocation subscriber settings: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem as one sentence naming the setting; never empty. */
  public List<String> problems() {
    return problems;
  }
}
