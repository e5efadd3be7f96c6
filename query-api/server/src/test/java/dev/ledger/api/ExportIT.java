package dev.ledger.api;

import static dev.ledger.api.TestApi.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ledger.export.Exporter;
import dev.ledger.export.ProgressListener;
import dev.ledger.export.VerificationReport;
import dev.ledger.export.Verifier;
import dev.ledger.export.log.IntegrityLog;
import dev.ledger.export.log.Notary;
import dev.ledger.export.log.NotaryConfig;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.export.sign.PublicKeys;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.testkit.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export path end to end on a real broker: audit records on {@code ledger.audit}, the real
 * notary building the log in a data directory as the launcher runs it, and the API exporting from
 * that directory with the notary's key.
 */
class ExportIT {
  @TempDir static Path data;
  static TestKafka kafka;
  static Notary notary;
  static TestApi.Keys keys;
  static TestApi api;

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.start(2);
    keys = TestApi.Keys.create(data);
    PublicKey key = NotaryKey.loadOrCreate(data).publicKey();
    notary =
        Notary.start(
            data,
            NotaryConfig.defaults(kafka.bootstrapServers())
                .withCheckpoints(10_000, Duration.ofMillis(200)),
            new SimpleMeterRegistry());
    api =
        TestApi.start(
            new ApiContext(
                keys.store(),
                null,
                null,
                null,
                List.of(),
                null,
                new Exporter(data.resolve(IntegrityLog.DIRECTORY)),
                key));
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    notary.close();
    kafka.close();
  }

  @Test
  void notFoundBeforeTheFirstCheckpointThenAnExportThatVerifiesWithTheServedKey() {
    assertError(api.get("/v1/exports?tenant=acme", keys.auditorAcme()), 404, "not_found");

    produce("acme", 300);
    produce("globex", 5);

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                api.get("/v1/exports?tenant=acme", keys.auditorAcme())
                    .headers()
                    .firstValue("Content-Disposition")
                    .orElse("")
                    .contains("ledger-acme-0-300."));
    HttpResponse<String> export = api.get("/v1/exports?tenant=acme", keys.auditorAcme());
    PublicKey served = PublicKeys.parse(api.get("/v1/keys", keys.auditorAcme()).body());

    VerificationReport report =
        Verifier.verify(
            new ByteArrayInputStream(export.body().getBytes(StandardCharsets.UTF_8)),
            served,
            null,
            ProgressListener.NONE);
    assertThat(report.problems()).isEmpty();
    assertThat(report.records()).isEqualTo(300);
    assertThat(export.body()).doesNotContain("\"tenant\":\"globex\"");
    assertThat(notary.failure()).isNull();
  }

  private static void produce(String tenant, int count) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, AuditRecord> producer =
        new KafkaProducer<>(
            props, Topics.AUDIT.keySerde().serializer(), Topics.AUDIT.valueSerde().serializer())) {
      for (int i = 0; i < count; i++) {
        AuditRecord record = AuditLogs.record(tenant, i);
        producer.send(
            new ProducerRecord<>(Topics.AUDIT.name(), tenant + "/" + record.getTokenId(), record));
      }
    }
  }
}
