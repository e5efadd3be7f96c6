package dev.ledger.schemas;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * One topic of the ledger with its serdes and the configuration it must be created with.
 *
 * @param name the topic name, e.g. {@code ledger.events}
 * @param keySerde serde of the key ({@code tenant/token_id} as UTF-8 for every ledger topic)
 * @param valueSerde serde of the value
 * @param config topic-level configuration (cleanup policy, retention) applied at creation
 * @param <K> key type
 * @param <V> value type
 */
public record Topic<K, V>(
    String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> config) {
  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    config = Map.copyOf(config);
  }
}
