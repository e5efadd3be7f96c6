package dev.ledger.index.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The user data of a Lucene commit: the Kafka positions the committed documents reach, and what the
 * documents were written with. Written in the same commit as the documents, so after any crash the
 * index and the positions it resumes from agree.
 */
public final class CommitData {

  private static final String OFFSET_PREFIX = "kafka.offset.";
  private static final String REVOCATION_PLACES = "revocation.places";
  private static final String TENANT_TERMS = "tenant.terms";

  private CommitData() {}

  /** The positions (next offset to read) in {@code data}. */
  public static Map<TopicPartition, Long> offsets(Map<String, String> data) {
    Map<TopicPartition, Long> out = new HashMap<>();
    for (Map.Entry<String, String> e : data.entrySet()) {
      if (e.getKey().startsWith(OFFSET_PREFIX)) {
        String tp = e.getKey().substring(OFFSET_PREFIX.length());
        int dash = tp.lastIndexOf('-');
        out.put(
            new TopicPartition(tp.substring(0, dash), Integer.parseInt(tp.substring(dash + 1))),
            Long.parseLong(e.getValue()));
      }
    }
    return out;
  }

  /** Puts {@code offsets} into {@code data}, keeping positions of partitions not named. */
  public static void putOffsets(Map<String, String> data, Map<TopicPartition, Long> offsets) {
    offsets.forEach(
        (tp, offset) ->
            data.put(OFFSET_PREFIX + tp.topic() + "-" + tp.partition(), Long.toString(offset)));
  }

  /** Removes the positions of {@code topic}'s partitions from {@code data}. */
  public static void removeOffsets(Map<String, String> data, String topic) {
    data.keySet()
        .removeIf(
            k ->
                k.startsWith(OFFSET_PREFIX + topic + "-")
                    && k.substring(OFFSET_PREFIX.length() + topic.length() + 1)
                        .chars()
                        .allMatch(Character::isDigit));
  }

  /**
   * Whether every revocation document of a notice index carries its record's partition and offset
   * (since contract v1.17; before, an index-local sequence).
   */
  public static boolean revocationPlaces(Map<String, String> data) {
    return data.containsKey(REVOCATION_PLACES);
  }

  public static void putRevocationPlaces(Map<String, String> data) {
    data.put(REVOCATION_PLACES, "1");
  }

  /** Whether every audit document of the index has its {@link TenantTerms}. */
  public static boolean tenantTerms(Map<String, String> data) {
    return data.containsKey(TENANT_TERMS);
  }

  public static void putTenantTerms(Map<String, String> data) {
    data.put(TENANT_TERMS, "1");
  }
}
