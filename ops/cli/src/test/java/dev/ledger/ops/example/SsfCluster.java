package dev.ledger.ops.example;

import dev.ledger.api.ssf.internal.SigningKey;
import dev.ledger.runtime.LedgerNode;
import dev.ledger.runtime.config.LedgerConfig;
import dev.ledger.schemas.kafka.KafkaClientSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The shared part of a cluster of SSF transmitters: a node running the broker and the stream
 * processor, which API instances started with {@link #apiSettings} join, each with the secrets an
 * operator copies to every instance ({@link #shareSecrets}).
 */
final class SsfCluster implements AutoCloseable {
  /** What an API instance of the cluster runs. */
  static final Set<LedgerNode.Role> API = EnumSet.of(LedgerNode.Role.INDEX, LedgerNode.Role.API);

  private final LedgerNode node;
  private final Path dir;

  private SsfCluster(LedgerNode node, Path dir) {
    this.node = node;
    this.dir = dir;
  }

  /** Starts the broker and stream processor node, its data in {@code dir}. */
  static SsfCluster start(Path dir) {
    LedgerNode node =
        LedgerNode.start(
            LedgerConfig.defaults(
                Map.of(
                    "data.dir", dir.toString(),
                    "kafka.embedded.port", "0",
                    "topics.partitions", "4")),
            EnumSet.of(LedgerNode.Role.STREAMS),
            new PrintStream(OutputStream.nullOutputStream()));
    return new SsfCluster(node, dir);
  }

  /**
   * @param extra settings of every API instance besides the cluster's Kafka
   */
  Map<String, String> apiSettings(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(extra);
    settings.put("kafka.config.file", dir.resolve(KafkaClientSettings.FILE_NAME).toString());
    return Map.copyOf(settings);
  }

  /**
   * The settings of every API instance but the first: one notary per deployment, so the others run
   * none ({@code notary.enabled=false}).
   */
  static Map<String, String> withoutNotary(Map<String, String> api) {
    Map<String, String> settings = new HashMap<>(api);
    settings.put("notary.enabled", "false");
    return Map.copyOf(settings);
  }

  /**
   * Gives the API instance whose data will be in {@code to} the credentials and the SSF signing key
   * of the one in {@code from}.
   */
  static void shareSecrets(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    Files.copy(from.resolve("keys.json"), to.resolve("keys.json"));
    Files.copy(
        from.resolve(SigningKey.FILE),
        to.resolve(SigningKey.FILE),
        StandardCopyOption.COPY_ATTRIBUTES);
  }

  @Override
  public void close() {
    node.close();
  }
}
