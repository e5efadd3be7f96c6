package dev.ledger.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The validation every settings record shares: its compact constructor names each rule once, every
 * invalid value is collected, and {@link #throwIfAny()} reports them all in one {@link
 * IllegalArgumentException}, so that a configuration is fixed in one round, not one value at a
 * time. The wording of each rule is written here, once.
 *
 * <pre>{@code
 * new SettingsCheck("streams settings")
 *     .requireText("applicationId", applicationId)
 *     .atLeast("threads", threads, 1)
 *     .positive("commitInterval", commitInterval)
 *     .throwIfAny();
 * }</pre>
 */
public final class SettingsCheck {

  private final String what;
  private final List<String> problems = new ArrayList<>();

  /**
   * @param what the settings checked, as the message names them, e.g. {@code streams settings}
   */
  public SettingsCheck(String what) {
    this.what = what;
  }

  /** {@code name} must be given. */
  public SettingsCheck require(String name, Object value) {
    return check(value != null, name + " is required");
  }

  /** {@code name} must be given and not blank. */
  public SettingsCheck requireText(String name, String value) {
    return check(value != null && !value.isBlank(), name + " is required");
  }

  /** {@code name} must be at least 1. */
  public SettingsCheck positive(String name, long value) {
    return check(value >= 1, name + " must be positive, was " + value);
  }

  /** {@code name} must be at least {@code min}. */
  public SettingsCheck atLeast(String name, long value, long min) {
    return check(value >= min, name + " must be >= " + min + ", was " + value);
  }

  /** {@code name} must be given and longer than zero. */
  public SettingsCheck positive(String name, Duration value) {
    return check(value != null && value.isPositive(), name + " must be > 0");
  }

  /** {@code name} must be given and not negative; {@code zeroMeans} says what zero stands for. */
  public SettingsCheck notNegative(String name, Duration value, String zeroMeans) {
    return check(
        value != null && !value.isNegative(),
        name + " must be >= 0" + (zeroMeans == null ? "" : " (0 = " + zeroMeans + ")"));
  }

  /** Any other rule: {@code problem} is reported unless {@code ok}. */
  public SettingsCheck check(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
    return this;
  }

  /**
   * @throws IllegalArgumentException listing every problem found, when there is one
   */
  public void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid " + what + ": " + String.join("; ", problems));
    }
  }
}
