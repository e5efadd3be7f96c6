package dev.ledger.api.ssf;

import dev.ledger.schemas.SettingsCheck;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How the SSF transmitter runs. Build with {@link #builder(Path)}; {@link Builder#build()} checks
 * every value and names every problem at once.
 *
 * @param keyDir where the RSA signing key lives ({@code ssf-signing-key.json}, 0600), normally
 *     {@code data/}
 * @param issuer the public base URL: the SETs' {@code iss} and the prefix of every endpoint; asked
 *     for each request, so a server on port 0 can supply it once it listens
 * @param defaultSubjects {@code ALL}: every stream gets every revocation of its tenant; {@code
 *     NONE}: only those of the subjects added to it
 * @param pushDeadLetterAfter a push SET that keeps failing this long is dead-lettered (counted in
 *     the status) and the stream moves on
 * @param pushMinBackoff first wait after a failed push, doubling up to {@code pushMaxBackoff}
 * @param pushMaxBackoff longest wait between two attempts
 * @param pushTimeout connect and response timeout of one push
 * @param maxStreamsPerReceiver streams one credential may own; one more is refused with 409 (SSF
 *     1.0 section 8.1.1.1)
 * @param maxLongPoll longest a poll with {@code returnImmediately: false} waits
 * @param minVerificationInterval a stream's verification request sooner than this after its
 *     previous one is answered 429 (the stream configuration's {@code min_verification_interval});
 *     zero for no limit
 * @param inactivityTimeout an enabled stream whose receiver shows no activity this long is paused
 *     and sent a {@code stream-updated} SET (the configuration's {@code inactivity_timeout}); zero
 *     for never
 * @param sessionTimeout with several API instances, how long one that dies (stops without leaving)
 *     keeps the streams it transmits before another takes them over
 * @param pushTrust a PEM file of certificates push delivery trusts besides the JVM's default
 *     authorities (a private CA, a receiver's self-signed certificate), or null
 */
public record SsfSettings(
    Path keyDir,
    Supplier<URI> issuer,
    String defaultSubjects,
    Duration pushDeadLetterAfter,
    Duration pushMinBackoff,
    Duration pushMaxBackoff,
    Duration pushTimeout,
    int maxStreamsPerReceiver,
    Duration maxLongPoll,
    Duration minVerificationInterval,
    Duration inactivityTimeout,
    Duration sessionTimeout,
    Path pushTrust) {

  public static Builder builder(Path keyDir) {
    return new Builder(keyDir);
  }

  /**
   * @return the issuer without a trailing slash, e.g. {@code http://127.0.0.1:8080}
   */
  public String issuerUrl() {
    String url = issuer.get().toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** Builder with the defaults of CONTRACT.md section 6. */
  public static final class Builder {
    private final Path keyDir;
    private Supplier<URI> issuer = () -> URI.create("http://127.0.0.1:8080");
    private String defaultSubjects = "ALL";
    private Duration pushDeadLetterAfter = Duration.ofHours(1);
    private Duration pushMinBackoff = Duration.ofMillis(200);
    private Duration pushMaxBackoff = Duration.ofSeconds(30);
    private Duration pushTimeout = Duration.ofSeconds(10);
    private int maxStreamsPerReceiver = 100;
    private Duration maxLongPoll = Duration.ofSeconds(25);
    private Duration minVerificationInterval = Duration.ofSeconds(10);
    private Duration inactivityTimeout = Duration.ofDays(30);
    private Duration sessionTimeout = Duration.ofSeconds(10);
    private Path pushTrust;

    private Builder(Path keyDir) {
      this.keyDir = keyDir;
    }

    public Builder issuer(URI issuer) {
      return issuer(() -> issuer);
    }

    public Builder issuer(Supplier<URI> issuer) {
      this.issuer = issuer;
      return this;
    }

    public Builder defaultSubjects(String value) {
      this.defaultSubjects = value;
      return this;
    }

    public Builder pushDeadLetterAfter(Duration value) {
      this.pushDeadLetterAfter = value;
      return this;
    }

    public Builder pushBackoff(Duration min, Duration max) {
      this.pushMinBackoff = min;
      this.pushMaxBackoff = max;
      return this;
    }

    public Builder pushTimeout(Duration value) {
      this.pushTimeout = value;
      return this;
    }

    public Builder maxStreamsPerReceiver(int value) {
      this.maxStreamsPerReceiver = value;
      return this;
    }

    public Builder maxLongPoll(Duration value) {
      this.maxLongPoll = value;
      return this;
    }

    public Builder minVerificationInterval(Duration value) {
      this.minVerificationInterval = value;
      return this;
    }

    public Builder inactivityTimeout(Duration value) {
      this.inactivityTimeout = value;
      return this;
    }

    public Builder sessionTimeout(Duration value) {
      this.sessionTimeout = value;
      return this;
    }

    /**
     * @param pem certificates push delivery trusts besides the default ones; null for none
     */
    public Builder pushTrust(Path pem) {
      this.pushTrust = pem;
      return this;
    }

    /**
     * @throws IllegalArgumentException listing every invalid value
     */
    public SsfSettings build() {
      new SettingsCheck("SSF settings")
          .require("keyDir", keyDir)
          .require("issuer", issuer)
          .check(
              "ALL".equals(defaultSubjects) || "NONE".equals(defaultSubjects),
              "defaultSubjects must be ALL or NONE, not " + defaultSubjects)
          .positive("pushDeadLetterAfter", pushDeadLetterAfter)
          .positive("pushMinBackoff", pushMinBackoff)
          .positive("pushMaxBackoff", pushMaxBackoff)
          .positive("pushTimeout", pushTimeout)
          .positive("maxLongPoll", maxLongPoll)
          .positive("sessionTimeout", sessionTimeout)
          .check(
              wholeSeconds(minVerificationInterval), wholeSecondsProblem("minVerificationInterval"))
          .check(wholeSeconds(inactivityTimeout), wholeSecondsProblem("inactivityTimeout"))
          .check(
              pushMinBackoff == null
                  || pushMaxBackoff == null
                  || pushMaxBackoff.compareTo(pushMinBackoff) >= 0,
              "pushMaxBackoff must not be shorter than pushMinBackoff")
          .positive("maxStreamsPerReceiver", maxStreamsPerReceiver)
          .throwIfAny();
      return new SsfSettings(
          keyDir,
          issuer,
          defaultSubjects,
          pushDeadLetterAfter,
          pushMinBackoff,
          pushMaxBackoff,
          pushTimeout,
          maxStreamsPerReceiver,
          maxLongPoll,
          minVerificationInterval,
          inactivityTimeout,
          sessionTimeout,
          pushTrust);
    }

    /** Zero or more whole seconds: the stream configuration states them as integer seconds. */
    private static boolean wholeSeconds(Duration value) {
      return value != null && !value.isNegative() && value.toMillis() % 1000 == 0;
    }

    private static String wholeSecondsProblem(String name) {
      return name + " must be zero or a whole number of seconds";
    }
  }

  public SsfSettings {
    Objects.requireNonNull(keyDir, "keyDir");
    Objects.requireNonNull(issuer, "issuer");
  }
}
