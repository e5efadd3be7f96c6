package dev.ledger.schemas.kafka;

import dev.ledger.schemas.Topic;
import dev.ledger.schemas.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the ledger's topics with the configured partitions and replication, leaving existing
 * topics as they are. Idempotent: every role may call it at start-up.
 */
public final class TopicAdmin {

  /** From this replication factor on, a write needs {@value #MIN_IN_SYNC} replicas in sync. */
  public static final int REPLICATED = 3;

  /** {@code min.insync.replicas} of a topic with {@value #REPLICATED} replicas or more. */
  public static final int MIN_IN_SYNC = 2;

  private TopicAdmin() {}

  /**
   * The topic settings that go with {@code replication}: {@code min.insync.replicas=2} from three
   * replicas on, so that an acknowledged write (acks=all) survives the loss of any one broker and a
   * write with only one replica left fails instead of being kept by one disk. Below three, none:
   * with two replicas, two in sync would stop writes whenever either broker is down.
   */
  public static Map<String, String> replicationConfig(int replication) {
    return replication >= REPLICATED
        ? Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(MIN_IN_SYNC))
        : Map.of();
  }

  /**
   * Creates every topic of {@link Topics#all()} that does not exist yet.
   *
   * @return the names of the topics that were created now
   */
  public static List<String> ensureTopics(
      KafkaClientSettings kafka, int partitions, short replication)
      throws InterruptedException, TimeoutException {
    Map<String, Object> config = kafka.config();
    config.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    try (Admin admin = Admin.create(config)) {
      return ensureTopics(admin, Topics.all(), partitions, replication);
    }
  }

  /** Creates the given topics that do not exist yet on the cluster behind {@code admin}. */
  public static List<String> ensureTopics(
      Admin admin, List<Topic<?, ?>> topics, int partitions, short replication)
      throws InterruptedException, TimeoutException {
    try {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (Topic<?, ?> topic : topics) {
        if (!existing.contains(topic.name())) {
          Map<String, String> config = new HashMap<>(topic.config());
          config.putAll(replicationConfig(replication));
          missing.add(new NewTopic(topic.name(), partitions, replication).configs(config));
        }
      }
      if (missing.isEmpty()) {
        return List.of();
      }
      List<String> created = new ArrayList<>();
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
          created.add(entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + entry.getKey() + ": " + e.getCause().getMessage(),
                e.getCause());
          }
        }
      }
      return created;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot list topics: " + e.getCause().getMessage(), e.getCause());
    }
  }
}
