package dev.ledger.runtime.config;

import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The effective configuration of one ledger process, as flat {@code key=value} pairs.
 *
 * <p>Sources, later ones winning: the built-in {@link ConfigKey defaults}, a properties file
 * ({@code --config FILE}, else {@code ledger.properties} in the working directory if present),
 * environment variables ({@code LEDGER_HTTP_PORT} sets {@code http.port}: upper case, dots and
 * dashes as underscores), then command-line options. Build one with {@link #load}; values are read
 * through the typed accessors, which throw {@link ConfigException} naming the key on a bad value.
 *
 * <p>Keys under {@code kafka.client.} are passed to every Kafka client unchanged (security settings
 * for a real cluster, for example), without the prefix; {@code kafka.config.file} names a
 * properties file of such settings (with {@code bootstrap.servers}) that they override.
 */
public final class LedgerConfig {

  private static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

  private final Map<String, String> values;
  private final Map<String, String> origins;

  private LedgerConfig(Map<String, String> values, Map<String, String> origins) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    this.origins = Collections.unmodifiableMap(new TreeMap<>(origins));
  }

  /**
   * Loads the configuration.
   *
   * @param file a properties file to read, or null to read {@code ledger.properties} if it exists
   * @param env the environment (normally {@code System.getenv()})
   * @param overrides command-line values, already under their config keys; null values are ignored
   */
  public static LedgerConfig load(
      Path file, Map<String, String> env, Map<String, String> overrides) {
    if (file != null && !Files.isRegularFile(file)) {
      throw new ConfigException("config file " + file + " does not exist");
    }
    return build(file != null ? file : Path.of("ledger.properties"), env, overrides);
  }

  /** Defaults and {@code overrides} only: no file, no environment. For tests and tools. */
  public static LedgerConfig defaults(Map<String, String> overrides) {
    return build(null, Map.of(), overrides);
  }

  private static LedgerConfig build(
      Path source, Map<String, String> env, Map<String, String> overrides) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    for (ConfigKey key : ConfigKey.values()) {
      if (key.defaultValue() != null) {
        values.put(key.key(), key.defaultValue());
        origins.put(key.key(), "default");
      }
    }
    if (source != null && Files.isRegularFile(source)) {
      Properties props = new Properties();
      try (Reader reader = Files.newBufferedReader(source)) {
        props.load(reader);
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + source + ": " + e.getMessage());
      }
      for (String name : props.stringPropertyNames()) {
        values.put(name, props.getProperty(name).trim());
        origins.put(name, "file " + source);
      }
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith("LEDGER_")
          && !e.getKey().equals("LEDGER_KEY")
          && !e.getKey().equals("LEDGER_JAVA_OPTS")) {
        String key = fromEnvName(e.getKey());
        values.put(key, e.getValue());
        origins.put(key, "env " + e.getKey());
      }
    }
    overrides.forEach(
        (k, v) -> {
          if (v != null) {
            values.put(k, v);
            origins.put(k, "command line");
          }
        });
    LedgerConfig config = new LedgerConfig(values, origins);
    config.validate();
    return config;
  }

  /**
   * {@code LEDGER_HTTP_PORT} becomes {@code http.port}. Keys with dashes cannot be set this way.
   */
  static String fromEnvName(String env) {
    return env.substring("LEDGER_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** The environment variable that sets {@code key}. */
  public static String envName(String key) {
    return "LEDGER_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** Checks every known key at once and throws one exception listing every bad value. */
  private void validate() {
    List<String> problems = new ArrayList<>();
    for (ConfigKey key : ConfigKey.values()) {
      String v = values.get(key.key());
      if (v == null) {
        continue;
      }
      String problem = key.type().check(v);
      if (problem != null) {
        problems.add(key.key() + "=" + v + " (" + origins.get(key.key()) + "): " + problem);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException("invalid configuration:\n  " + String.join("\n  ", problems));
    }
  }

  public String string(ConfigKey key) {
    return values.get(key.key());
  }

  /** The value, or null when unset or empty. */
  public String optional(ConfigKey key) {
    String v = values.get(key.key());
    return v == null || v.isBlank() ? null : v;
  }

  public int integer(ConfigKey key) {
    return Integer.parseInt(string(key));
  }

  public long longValue(ConfigKey key) {
    return Long.parseLong(string(key));
  }

  public boolean bool(ConfigKey key) {
    return Boolean.parseBoolean(string(key));
  }

  public Duration duration(ConfigKey key) {
    return ConfigKey.Type.parseDuration(string(key));
  }

  public Path path(ConfigKey key) {
    return Path.of(string(key));
  }

  /** A path key resolved against {@code data.dir} when relative and left at its default. */
  public Path dataPath(ConfigKey key) {
    String v = optional(key);
    Path data = path(ConfigKey.DATA_DIR);
    return v == null ? data.resolve(key.defaultSubdir()) : Path.of(v);
  }

  /**
   * The sizes events and batches may have ({@code limits.*}), for ingest and the streams validator
   * alike.
   */
  public LedgerLimits limits() {
    return LedgerLimits.builder()
        .maxEventIdLength(integer(ConfigKey.LIMITS_EVENT_ID_LENGTH))
        .maxTokenIdLength(integer(ConfigKey.LIMITS_TOKEN_ID_LENGTH))
        .maxTextLength(integer(ConfigKey.LIMITS_TEXT_LENGTH))
        .maxListItems(integer(ConfigKey.LIMITS_LIST_ITEMS))
        .maxAttributes(integer(ConfigKey.LIMITS_ATTRIBUTES))
        .maxEventChars(integer(ConfigKey.LIMITS_EVENT_CHARS))
        .maxBatchEvents(integer(ConfigKey.LIMITS_BATCH_EVENTS))
        .maxProblems(integer(ConfigKey.LIMITS_PROBLEMS))
        .build();
  }

  /**
   * Extra Kafka client properties: those of {@code kafka.config.file} but its {@code
   * bootstrap.servers}, then {@code kafka.client.*} without the prefix.
   */
  public Map<String, Object> kafkaClientProperties() {
    Map<String, Object> out = new TreeMap<>();
    kafkaConfigFile().ifPresent(file -> out.putAll(file.properties()));
    values.forEach(
        (k, v) -> {
          if (k.startsWith(KAFKA_CLIENT_PREFIX)) {
            out.put(k.substring(KAFKA_CLIENT_PREFIX.length()), v);
          }
        });
    return out;
  }

  /**
   * The external Kafka cluster to run against, with every client's shared settings: {@code
   * kafka.bootstrap.servers}, else the {@code bootstrap.servers} of {@code kafka.config.file};
   * empty when neither names one (then {@code ledger up} starts its embedded broker).
   */
  public Optional<KafkaClientSettings> externalKafka() {
    String bootstrap = optional(ConfigKey.BOOTSTRAP_SERVERS);
    if (bootstrap == null) {
      bootstrap = kafkaConfigFile().map(KafkaClientSettings::bootstrapServers).orElse(null);
    }
    return bootstrap == null
        ? Optional.empty()
        : Optional.of(KafkaClientSettings.plaintext(bootstrap).with(kafkaClientProperties()));
  }

  private Optional<KafkaClientSettings> kafkaConfigFile() {
    String file = optional(ConfigKey.KAFKA_CONFIG_FILE);
    if (file == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(KafkaClientSettings.read(Path.of(file)));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          ConfigKey.KAFKA_CONFIG_FILE.key() + "=" + file + " cannot be read: " + e.getMessage());
    }
  }

  /** Every effective value with where it came from; secret-looking values are masked. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    values.forEach(
        (k, v) -> lines.add(k + "=" + (isSecret(k) ? "********" : v) + "    # " + origins.get(k)));
    return lines;
  }

  static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("jaas")
        || k.endsWith(".key")
        || k.contains("token")
        || k.contains("credential");
  }

  public Map<String, String> asMap() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LedgerConfig c && c.values.equals(values);
  }

  @Override
  public int hashCode() {
    return Objects.hash(values);
  }
}
