package dev.ledger.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Without topics.replication.factor, topics get as many replicas as brokers, at most three. */
class DefaultReplicationTest {

  @Test
  void replicasFollowTheBrokersUpToThree() {
    assertThat(LedgerNode.defaultReplication(1)).isEqualTo(1);
    assertThat(LedgerNode.defaultReplication(2)).isEqualTo(2);
    assertThat(LedgerNode.defaultReplication(3)).isEqualTo(3);
    assertThat(LedgerNode.defaultReplication(7)).isEqualTo(3);
    assertThat(LedgerNode.defaultReplication(0)).isEqualTo(1);
  }
}
