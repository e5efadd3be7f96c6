package dev.ledger.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * What several instances on a replicated cluster get: two replicas in sync from three on, a standby
 * per task, the session timeout with heartbeats at a third of it, and static membership when named.
 */
class ClusterSettingsTest {

  @Test
  void aReplicatedClusterGetsTwoInSyncStandbysAndAStaticMemberId() {
    Properties p =
        LedgerTopology.streamsConfig(
            StreamsSettings.builder("k:9092")
                .replicationFactor(3)
                .standbyReplicas(StreamsSettings.standbysFor(2))
                .sessionTimeout(Duration.ofSeconds(12))
                .instanceId(" s1 ")
                .build());
    assertThat(p.getProperty("replication.factor")).isEqualTo("3");
    assertThat(p.getProperty("topic.min.insync.replicas")).isEqualTo("2");
    assertThat(p.getProperty("num.standby.replicas")).isEqualTo("1");
    assertThat(p.getProperty("consumer.session.timeout.ms")).isEqualTo("12000");
    assertThat(p.getProperty("consumer.heartbeat.interval.ms")).isEqualTo("4000");
    assertThat(p.getProperty("main.consumer.group.instance.id")).isEqualTo("ledger-streams-s1");
  }

  @Test
  void oneInstanceOnOneBrokerKeepsTheDefaults() {
    Properties p = LedgerTopology.streamsConfig(StreamsSettings.builder("k:9092").build());
    assertThat(p.getProperty("replication.factor")).isEqualTo("1");
    assertThat(p).doesNotContainKey("topic.min.insync.replicas");
    assertThat(p.getProperty("num.standby.replicas")).isEqualTo("0");
    assertThat(p.getProperty("consumer.session.timeout.ms")).isEqualTo("10000");
    assertThat(p.stringPropertyNames()).noneMatch(k -> k.endsWith("group.instance.id"));
    assertThat(StreamsSettings.standbysFor(1)).isZero();
  }
}
