package dev.ledger.schemas.kafka;

import dev.ledger.schemas.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What every Kafka client of a process needs to reach its cluster: the bootstrap servers and the
 * properties all of them share (security protocol, SASL, TLS, ...). A process builds one and hands
 * it to each client it creates, so a setting cannot reach some clients and miss others.
 *
 * <p>{@code ledger up} writes the settings of its embedded broker to {@link #FILE_NAME} in the data
 * directory (0600: it holds the broker's password); the CLI, the benchmarks, the revocation
 * subscriber and the examples read them back with {@link #read(Path)}.
 *
 * @param bootstrapServers never null or blank
 * @param properties the shared client properties without {@code bootstrap.servers}, never null
 */
public record KafkaClientSettings(String bootstrapServers, Map<String, String> properties) {

  /** The file {@code ledger up} writes into its data directory. */
  public static final String FILE_NAME = "kafka-client.properties";

  static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

  public KafkaClientSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers are required");
    }
    Map<String, String> copy = new TreeMap<>(properties);
    copy.remove(BOOTSTRAP_SERVERS);
    properties = Map.copyOf(copy);
  }

  /** Bootstrap servers only: an unsecured cluster such as a test broker. */
  public static KafkaClientSettings plaintext(String bootstrapServers) {
    return new KafkaClientSettings(bootstrapServers, Map.of());
  }

  /**
   * Reads a Java properties file that names {@code bootstrap.servers}; every other entry becomes a
   * shared property.
   *
   * @throws IOException when it cannot be read or has no {@code bootstrap.servers}
   */
  public static KafkaClientSettings read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      p.load(reader);
    }
    String bootstrap = p.getProperty(BOOTSTRAP_SERVERS);
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IOException(file + " names no " + BOOTSTRAP_SERVERS);
    }
    Map<String, String> properties = new HashMap<>();
    p.stringPropertyNames().forEach(k -> properties.put(k, p.getProperty(k).strip()));
    return new KafkaClientSettings(bootstrap.strip(), properties);
  }

  /**
   * Writes these settings to {@code file}, replacing it atomically. The file is 0600 from the start
   * (written under a temporary name with {@link PrivateFiles}, then renamed): it may hold a
   * password. One {@code key=value} per line and no escapes but {@code \\}, so any language reads
   * it with a few lines of code (the Python example does).
   */
  public void write(Path file) throws IOException {
    StringBuilder text =
        new StringBuilder("# Kafka client settings written by the ledger; keep private (0600).\n");
    new TreeMap<>(config()).forEach((k, v) -> text.append(line(k, String.valueOf(v))));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    PrivateFiles.writeNew(tmp, text.toString());
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String line(String key, String value) {
    if (!key.matches("[A-Za-z0-9._-]+") || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException(
          "cannot write Kafka client setting " + key + " as one properties line");
    }
    return key + "=" + value.replace("\\", "\\\\") + "\n";
  }

  /**
   * A new mutable client configuration: the shared properties and {@code bootstrap.servers}.
   * Callers add their own (serializers, client id) and must not replace the security settings.
   */
  public Map<String, Object> config() {
    Map<String, Object> config = new HashMap<>(properties);
    config.put(BOOTSTRAP_SERVERS, bootstrapServers);
    return config;
  }

  /**
   * {@link #config()} with string values, for APIs that take {@code Map<String, String>} (Kafka
   * Streams overrides).
   */
  public Map<String, String> stringConfig() {
    Map<String, String> config = new HashMap<>(properties);
    config.put(BOOTSTRAP_SERVERS, bootstrapServers);
    return config;
  }

  /**
   * These settings with {@code extra} added; entries of {@code extra} replace ours except {@code
   * bootstrap.servers}.
   */
  public KafkaClientSettings with(Map<String, ?> extra) {
    Map<String, String> merged = new HashMap<>(properties);
    extra.forEach((k, v) -> merged.put(k, String.valueOf(v)));
    return new KafkaClientSettings(bootstrapServers, merged);
  }

  /** Never shows the values: they may hold a password. */
  @Override
  public String toString() {
    return "KafkaClientSettings["
        + bootstrapServers
        + ", keys "
        + new TreeMap<>(properties).keySet()
        + "]";
  }
}
