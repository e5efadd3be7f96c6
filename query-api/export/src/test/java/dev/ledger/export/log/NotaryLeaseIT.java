package dev.ledger.export.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ledger.schemas.Topics;
import dev.ledger.testkit.TestKafka;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One notary per deployment, on a real broker: a second notary started on the same cluster takes
 * the lease, and the first stops with the reason.
 */
class NotaryLeaseIT {
  private static final Duration SESSION = Duration.ofSeconds(6);
  private static TestKafka kafka;

  @TempDir Path first;
  @TempDir Path second;

  @BeforeAll
  static void startKafka() {
    kafka = TestKafka.start(2);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @Test
  void aSecondNotaryStopsTheFirstWithTheReason() throws Exception {
    Map<String, Object> client = kafka.clientSettings().config();
    NotaryConfig config = NotaryConfig.defaults(kafka.bootstrapServers());
    try (Notary a = Notary.start(first, config, new SimpleMeterRegistry());
        NotaryLease leaseA = NotaryLease.start(client, Topics.AUDIT.name(), SESSION, a::stop)) {
      awaitMember();
      assertThat(a.isRunning()).isTrue();

      try (Notary b = Notary.start(second, config, new SimpleMeterRegistry());
          NotaryLease leaseB = NotaryLease.start(client, Topics.AUDIT.name(), SESSION, b::stop)) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !a.isRunning());
        assertThat(a.failure())
            .hasMessageContaining("another notary started in this deployment")
            .hasMessageContaining("notary.enabled=false");
        assertThat(b.isRunning()).isTrue();
        assertThat(b.failure()).isNull();
      }
    }
  }

  /** Waits until the group has its (static) member, so that a later claim is a replacement. */
  private static void awaitMember() {
    try (Admin admin = Admin.create(kafka.clientSettings().config())) {
      // The group exists only once the lease's first join reached the coordinator.
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  admin
                          .describeConsumerGroups(List.of(NotaryLease.GROUP))
                          .all()
                          .get()
                          .get(NotaryLease.GROUP)
                          .members()
                          .size()
                      == 1);
    }
  }
}
