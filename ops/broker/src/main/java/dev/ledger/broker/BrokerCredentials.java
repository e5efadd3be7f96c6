package dev.ledger.broker;

import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one account of an embedded broker ({@code ledger up}): every listener, the controller's
 * included, takes SASL/PLAIN with this user and password and nothing else. PLAIN because the broker
 * checks it against its own configuration: nothing has to be stored in the cluster metadata first
 * (SCRAM would), so a data directory made by an earlier, unauthenticated version gets a password on
 * its next start, and the controller listener can require it too.
 *
 * <p>Over loopback only; the password never leaves the machine.
 *
 * @param username never null, letters, digits, {@code _} and {@code -}
 * @param password never null, letters, digits, {@code _} and {@code -} (no quoting needed in JAAS)
 */
public record BrokerCredentials(String username, String password) {

  /** The user {@code ledger up} creates. */
  public static final String DEFAULT_USER = "ledger";

  public static final String SECURITY_PROTOCOL = "SASL_PLAINTEXT";
  public static final String MECHANISM = "PLAIN";

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]+");
  private static final String LOGIN_MODULE =
      "org.apache.kafka.common.security.plain.PlainLoginModule";
  private static final Pattern JAAS =
      Pattern.compile(
          Pattern.quote(LOGIN_MODULE)
              + "\\s+required\\s+username=\"([^\"]*)\"\\s+password=\"([^\"]*)\"\\s*;");

  public BrokerCredentials {
    if (username == null
        || !SAFE.matcher(username).matches()
        || password == null
        || !SAFE.matcher(password).matches()) {
      throw new IllegalArgumentException(
          "user name and password must be non-empty letters, digits, _ or -");
    }
  }

  /** A new password of 256 random bits for {@link #DEFAULT_USER}. */
  public static BrokerCredentials generate() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new BrokerCredentials(
        DEFAULT_USER, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /**
   * The credentials kept in a data directory's client settings file, or new ones when it has none
   * yet (a first start, or a data directory made before the broker required them) or cannot be
   * read. A new password costs nothing but the clients' old file: the broker keeps no copy of it.
   * The caller writes the file once the broker runs.
   */
  public static BrokerCredentials loadOrGenerate(Path clientSettingsFile) {
    if (Files.exists(clientSettingsFile)) {
      try {
        Optional<BrokerCredentials> kept =
            of(KafkaClientSettings.read(clientSettingsFile).properties());
        if (kept.isPresent()) {
          return kept.get();
        }
      } catch (IOException e) {
        // Replaced below, as if it were missing.
      }
    }
    return generate();
  }

  /**
   * The credentials in client properties written by {@link #clientProperties()}, if they hold any.
   */
  public static Optional<BrokerCredentials> of(Map<String, String> clientProperties) {
    String jaas = clientProperties.get("sasl.jaas.config");
    if (jaas == null || !MECHANISM.equals(clientProperties.get("sasl.mechanism"))) {
      return Optional.empty();
    }
    Matcher m = JAAS.matcher(jaas.strip());
    if (!m.matches()
        || !SAFE.matcher(m.group(1)).matches()
        || !SAFE.matcher(m.group(2)).matches()) {
      return Optional.empty();
    }
    return Optional.of(new BrokerCredentials(m.group(1), m.group(2)));
  }

  /** What a client sets to log in: security protocol, mechanism and JAAS line. */
  public Map<String, String> clientProperties() {
    return Map.of(
        "security.protocol",
        SECURITY_PROTOCOL,
        "sasl.mechanism",
        MECHANISM,
        "sasl.jaas.config",
        jaasLine(""));
  }

  /**
   * The broker side of a listener: the same login (the broker and controller connect to each other
   * as this user too) plus the one user it accepts.
   */
  String listenerJaasConfig() {
    return jaasLine(" user_" + username + "=\"" + password + "\"");
  }

  private String jaasLine(String extra) {
    return LOGIN_MODULE
        + " required username=\""
        + username
        + "\" password=\""
        + password
        + "\""
        + extra
        + ";";
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "BrokerCredentials[" + username + "]";
  }
}
