package dev.ledger.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.revocation.RevocationSettings.Store;
import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;

class RevocationSettingsTest {

  @Test
  void defaultsAreUsableOnceTheConnectionIsGiven() {
    RevocationSettings kafka = RevocationSettings.builder().bootstrapServers("k:9092").build();
    assertThat(kafka.problemsForKafka()).isEmpty();
    assertThat(kafka.topic()).isEqualTo("ledger.revocations");
    assertThat(kafka.failClosed()).isTrue();
    RevocationSettings sse =
        RevocationSettings.builder()
            .baseUrl("https://ledger.example:8443/")
            .bearerToken("k-1")
            .build();
    assertThat(sse.problemsForSse()).isEmpty();
    assertThat(sse.streamUri()).hasToString("https://ledger.example:8443/v1/revocations/stream");
  }

  @Test
  void theStreamUriNamesTheTenant() {
    RevocationSettings s =
        RevocationSettings.builder()
            .baseUrl("http://127.0.0.1:8080")
            .bearerToken("k")
            .tenant("acme")
            .build();
    assertThat(s.streamUri())
        .hasToString("http://127.0.0.1:8080/v1/revocations/stream?tenant=acme");
    assertThat(s.tenantFilter()).isEqualTo("acme");
    assertThat(RevocationSettings.builder().tenant("*").build().tenantFilter()).isNull();
  }

  @Test
  void reportsEveryProblemAtOnce() {
    RevocationSettings bad =
        RevocationSettings.builder()
            .baseUrl("ftp://x")
            .bearerToken("has space")
            .tenant("a/b")
            .reconnectBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1))
            .sseQuietPeriod(Duration.ZERO)
            .clientName(" ")
            .build();
    assertThat(bad.problemsForSse())
        .containsExactlyInAnyOrder(
            "tenant must be " + LedgerKey.tenantRule() + " (or *): a/b",
            "reconnectBackoffMin must not exceed reconnectBackoffMax",
            "clientName must not be empty",
            "baseUrl must be an absolute http or https URL without query: ftp://x",
            "bearerToken must be printable ASCII without spaces",
            "sseQuietPeriod must be a positive duration");
    assertThat(
            RevocationSettings.builder()
                .topic("")
                .partitionRecheck(Duration.ofSeconds(-1))
                .build()
                .problemsForKafka())
        .containsExactlyInAnyOrder(
            "bootstrapServers is required for a Kafka source",
            "topic must not be empty",
            "partitionRecheck must be a positive duration");
  }

  @Test
  void theFactoriesRefuseBadSettingsWithEveryProblem() {
    assertThatThrownBy(() -> RevocationSubscriber.sse(RevocationSettings.builder().build()))
        .isInstanceOfSatisfying(
            InvalidSettingsException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "baseUrl is required for an SSE source",
                        "bearerToken is required for an SSE source"));
    assertThatThrownBy(() -> RevocationSubscriber.kafka(RevocationSettings.builder().build()))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("bootstrapServers is required");
  }

  @Test
  void consumerPropertiesKafkaRefusesAreInvalidSettings() {
    RevocationSettings settings =
        RevocationSettings.builder()
            .bootstrapServers("127.0.0.1:9")
            .consumerConfig("security.protocol", "NOPE")
            .build();
    assertThatThrownBy(() -> RevocationSubscriber.kafka(settings))
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("consumerConfig is not accepted by Kafka");
  }

  @Test
  void aClientFileGivesTheConnectionAndTheLogin(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(KafkaClientSettings.FILE_NAME);
    new KafkaClientSettings(
            "127.0.0.1:9092",
            Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "x required;"))
        .write(file);
    RevocationSettings s =
        RevocationSettings.builder()
            .kafkaClientFile(file)
            .consumerConfig("sasl.mechanism", "SCRAM-SHA-256")
            .build();
    assertThat(s.problemsForKafka()).isEmpty();
    assertThat(s.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(s.consumerConfig())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.jaas.config", "x required;")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
        .doesNotContainKey("bootstrap.servers");
    assertThatThrownBy(() -> RevocationSettings.builder().kafkaClientFile(dir.resolve("missing")))
        .isInstanceOfSatisfying(
            InvalidSettingsException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .startsWith("kafkaClientFile " + dir.resolve("missing") + " cannot be read"));
  }

  @Test
  void theStoreIsInMemoryUnlessRocksDbIsAskedFor(@TempDir Path dir) throws IOException {
    assertThat(RevocationSettings.builder().build().store()).isEqualTo(Store.MEMORY);
    RevocationSettings rocks =
        RevocationSettings.builder()
            .bootstrapServers("k:9092")
            .store(Store.ROCKSDB)
            .storeDirectory(dir.resolve("not-yet"))
            .build();
    assertThat(rocks.problemsForKafka()).as("rocksdbjni is on the test classpath").isEmpty();
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThat(
            RevocationSettings.builder()
                .bootstrapServers("k:9092")
                .store(Store.ROCKSDB)
                .storeDirectory(file)
                .build()
                .problemsForKafka())
        .containsExactly("storeDirectory is not a directory: " + file);
    assertThat(
            RevocationSettings.builder()
                .baseUrl("http://l")
                .bearerToken("k")
                .storeDirectory(dir)
                .build()
                .problemsForSse())
        .containsExactly("storeDirectory is used by store ROCKSDB only, not by MEMORY");
    assertThat(
            RevocationSettings.builder()
                .bootstrapServers("k:9092")
                .store(null)
                .build()
                .problemsForKafka())
        .containsExactly("store must be MEMORY or ROCKSDB");
  }

  @Test
  void theRocksDbCoordinatesInTheMessageAreTheOnesTestedWith() {
    RocksDB.loadLibrary();
    assertThat(RevocationSettings.ROCKSDB_COORDINATES)
        .isEqualTo("org.rocksdb:rocksdbjni:" + RocksDB.rocksdbVersion());
  }

  /**
   * A resource server without rocksdbjni, simulated: this loader defines the ledger's classes
   * itself (so their references resolve through it) and finds no {@code org.rocksdb} class.
   */
  private static final class WithoutRocksDb extends ClassLoader {
    WithoutRocksDb() {
      super("without-rocksdb", RevocationSettingsTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("org.rocksdb.")) {
        throw new ClassNotFoundException(name);
      }
      if (!name.startsWith("dev.ledger.")) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c != null) {
          return c;
        }
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
          if (in == null) {
            throw new ClassNotFoundException(name);
          }
          byte[] bytes = in.readAllBytes();
          return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
    }
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void withoutRocksDbOnTheClasspathTheStoreIsAClearSettingsErrorAndMemoryStillWorks()
      throws Exception {
    ClassLoader loader = new WithoutRocksDb();
    assertThatThrownBy(() -> loader.loadClass("org.rocksdb.RocksDB"))
        .isInstanceOf(ClassNotFoundException.class);
    Class<?> settingsType = loader.loadClass("dev.ledger.revocation.RevocationSettings");
    assertThat(settingsType).isNotSameAs(RevocationSettings.class);
    Class<?> storeType = loader.loadClass("dev.ledger.revocation.RevocationSettings$Store");

    Object builder = settingsType.getMethod("builder").invoke(null);
    builder.getClass().getMethod("bootstrapServers", String.class).invoke(builder, "127.0.0.1:9");
    Object memory = builder.getClass().getMethod("build").invoke(builder);
    Object store =
        loader
            .loadClass("dev.ledger.revocation.internal.RevocationStore")
            .getMethod("open", settingsType)
            .invoke(null, memory);
    assertThat(store.getClass().getName())
        .isEqualTo("dev.ledger.revocation.internal.InMemoryRevocationStore");

    builder
        .getClass()
        .getMethod("store", storeType)
        .invoke(builder, Enum.valueOf((Class) storeType, "ROCKSDB"));
    Object rocks = builder.getClass().getMethod("build").invoke(builder);
    String expected =
        "store ROCKSDB needs org.rocksdb:rocksdbjni:10.1.3 on the classpath: it is an optional "
            + "dependency of dev.ledger:ledger-schemas, add it to your build (or use store MEMORY)";
    assertThat((List<String>) settingsType.getMethod("problemsForKafka").invoke(rocks))
        .containsExactly(expected);
    assertThatThrownBy(
            () ->
                loader
                    .loadClass("dev.ledger.revocation.RevocationSubscriber")
                    .getMethod("kafka", settingsType)
                    .invoke(null, rocks))
        .isInstanceOf(InvocationTargetException.class)
        .cause()
        .satisfies(
            e -> {
              assertThat(e.getClass().getName())
                  .isEqualTo(InvalidSettingsException.class.getName());
              assertThat(e).hasMessage("invalid revocation subscriber settings: " + expected);
            });
  }
}
