package dev.ledger.schemas.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The settings of a consumer that joins a group only to hold a place in it (who owns what is read
 * from the assignment; nothing is consumed or committed): the SSF transmitters' stream owners and
 * the notary's lease.
 */
public final class Membership {
  private Membership() {}

  /**
   * @param kafka the process's client settings (bootstrap servers, security), never null
   * @param group the group to join
   * @param clientId the client id the broker's logs and metrics show
   * @param sessionTimeout how long a member that stopped answering keeps its place; heartbeats
   *     every fifth of it
   * @return consumer settings; the caller adds a static member id if it wants one
   */
  public static Map<String, Object> consumerConfig(
      Map<String, Object> kafka, String group, String clientId, Duration sessionTimeout) {
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    c.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
    c.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        (int) Math.max(100, sessionTimeout.toMillis() / 5));
    return c;
  }
}
