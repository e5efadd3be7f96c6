package dev.ledger.api.internal;

import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.KeyStore;
import java.time.Clock;
import java.time.Duration;

/**
 * Tells an open stream whether the credential that opened it is still valid: not revoked (asked
 * again of the key store) and not expired (a JWT's {@code exp}). A stream asks as often as it
 * likes; the store is asked at most once per {@code recheck}, so revocation ends a stream within
 * about that interval. Thread-safe.
 */
public final class CredentialCheck {
  private final KeyStore keys;
  private final String credential;
  private final Caller caller;
  private final Duration recheck;
  private final Clock clock;
  private volatile long checkedAtNanos;
  private volatile boolean valid = true;

  CredentialCheck(KeyStore keys, String credential, Caller caller, Duration recheck, Clock clock) {
    this.keys = keys;
    this.credential = credential;
    this.caller = caller;
    this.recheck = recheck;
    this.clock = clock;
    this.checkedAtNanos = System.nanoTime();
  }

  /**
   * @return false once the credential was revoked or has expired; stays false
   */
  public boolean stillValid() {
    if (!valid) {
      return false;
    }
    if (caller.expiresAt() != null && !clock.instant().isBefore(caller.expiresAt())) {
      valid = false;
      return false;
    }
    long now = System.nanoTime();
    if (now - checkedAtNanos >= recheck.toNanos()) {
      checkedAtNanos = now;
      valid = keys.authenticate(credential).isPresent();
    }
    return valid;
  }

  /**
   * @return how often the store is asked again
   */
  public Duration recheck() {
    return recheck;
  }
}
