package dev.ledger.export.log;

import dev.ledger.schemas.kafka.Membership;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the notary the only one of its deployment (its Kafka cluster): exports are proven against
 * one log, so two notaries would give auditors two different trees signed by two keys.
 *
 * <p>The lease is a static member ({@code group.instance.id} {@value #INSTANCE_ID}) of the consumer
 * group {@value #GROUP}. Kafka keeps one member per static id: a notary started anywhere else in
 * the deployment replaces this one, whose next heartbeat is refused ({@link
 * FencedInstanceIdException}), and {@code onLost} is told, which stops this notary loudly (its
 * {@code /health} part goes down with the reason). The same rule lets a notary restarted after a
 * crash take its own place back at once, without waiting for the dead one's session to time out.
 * Nothing is read: the subscription's partitions are paused, membership is the point.
 *
 * <p>Start with {@link #start}, stop with {@link #close}. {@code onLost} is called at most once, on
 * the lease's own thread.
 */
public final class NotaryLease implements AutoCloseable {
  /** The consumer group of notaries; at most one member at a time. */
  public static final String GROUP = "ledger.notary";

  /** The static member id every notary uses, so that the newest replaces any other. */
  public static final String INSTANCE_ID = "ledger-notary";

  private static final Logger LOG = LoggerFactory.getLogger(NotaryLease.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Consumer<String> onLost;
  private final Thread thread;
  private volatile boolean closed;

  private NotaryLease(
      Map<String, Object> kafka, String topic, Duration sessionTimeout, Consumer<String> onLost) {
    this.topic = topic;
    this.onLost = onLost;
    Map<String, Object> c =
        Membership.consumerConfig(kafka, GROUP, "ledger-notary-lease", sessionTimeout);
    c.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, INSTANCE_ID);
    this.consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = Thread.ofPlatform().daemon().name("ledger-notary-lease").unstarted(this::run);
  }

  /**
   * Joins the notaries' group, replacing any other notary of the deployment.
   *
   * @param kafka client settings (bootstrap servers, security), never null
   * @param topic a topic to subscribe to, for membership only (the audit topic)
   * @param sessionTimeout how long a notary that stopped answering keeps the lease when no other
   *     notary claims it; a new claim replaces it at once
   * @param onLost told why, once, when another notary took the lease
   */
  public static NotaryLease start(
      Map<String, Object> kafka, String topic, Duration sessionTimeout, Consumer<String> onLost) {
    NotaryLease lease = new NotaryLease(kafka, topic, sessionTimeout, onLost);
    lease.thread.start();
    return lease;
  }

  private void run() {
    try {
      consumer.subscribe(
          List.of(topic),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              consumer.pause(partitions);
            }
          });
      while (!closed) {
        consumer.poll(Duration.ofMillis(500));
      }
    } catch (FencedInstanceIdException e) {
      String why =
          "another notary started in this deployment and took over (consumer group "
              + GROUP
              + "): exactly one may run, so this one stopped; set notary.enabled=false on every"
              + " API instance but one";
      LOG.error("{}", why);
      onLost.accept(why);
    } catch (WakeupException e) {
      // close() asked us to stop
    } catch (RuntimeException e) {
      // Without the lease the notary still runs; only the guard against a second one is gone.
      LOG.warn("the notary's lease stopped: {}", e.toString());
    } finally {
      try {
        consumer.close(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        LOG.debug("closing the notary's lease: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
