package dev.ledger.bench.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Bytes of a broker's record logs per topic: the {@code *.log} segments of every partition
 * directory ({@code <topic>-<partition>}) under a log directory. Index files are left out: Kafka
 * preallocates them sparsely (10 MB each), so their length says nothing about what was written.
 * Taken before and after a run, the difference is what the run wrote (less whatever retention or
 * compaction removed meanwhile).
 */
public final class KafkaLogBytes {

  private static final Pattern PARTITION_DIR = Pattern.compile("(.+)-(\\d+)");

  private KafkaLogBytes() {}

  /**
   * The topic of a partition directory's name, or null when it is not one (e.g. a directory being
   * deleted).
   */
  static String topicOf(String directoryName) {
    Matcher m = PARTITION_DIR.matcher(directoryName);
    return m.matches() ? m.group(1) : null;
  }

  /** Bytes of record log segments by topic, under {@code logDir}; empty when it does not exist. */
  public static Map<String, Long> perTopic(Path logDir) {
    Map<String, Long> out = new TreeMap<>();
    if (!Files.isDirectory(logDir)) {
      return out;
    }
    // Segments live in <log dir>/<topic>-<partition>/, and the log dir may be {@code logDir} or one
    // level below it (the embedded broker keeps it in data/kafka/kraft).
    try (Stream<Path> all = Files.walk(logDir, 3)) {
      all.filter(
              p ->
                  !p.getParent().equals(logDir)
                      && p.getFileName().toString().endsWith(".log")
                      && Files.isRegularFile(p))
          .forEach(
              p -> {
                String topic = topicOf(p.getParent().getFileName().toString());
                if (topic != null) {
                  out.merge(topic, p.toFile().length(), Long::sum);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      // A segment deleted while we walk: the sizes are approximate anyway.
    }
    return out;
  }

  /**
   * What each topic grew by from {@code before} to {@code after} (a topic that shrank counts 0).
   */
  public static Map<String, Long> growth(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach(
        (topic, bytes) -> out.put(topic, Math.max(0, bytes - before.getOrDefault(topic, 0L))));
    return out;
  }
}
