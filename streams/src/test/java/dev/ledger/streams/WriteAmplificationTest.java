package dev.ledger.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.streams.internal.LedgerStores;
import dev.ledger.streams.testing.Driver;
import dev.ledger.streams.testing.Events;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Counts the Kafka records the topology writes per event, every topic included: outputs, the
 * internal topics and the changelog of every store. TopologyTestDriver commits after each record,
 * so this is the work before any cache coalesces it. Each bound is stated here and does not grow
 * with the depth of the chain; the uses flush is counted on its own, by advancing wall-clock time.
 */
class WriteAmplificationTest {

  /**
   * An allowed use in a chain without max_uses: tree topic, pending use, audit record. No dedupe
   * entry: the pending use is what drops a repeat of it.
   */
  static final int USE = 3;

  /** The same with max_uses in the chain: plus one budget entry. */
  static final int BUDGETED_USE = 5;

  /**
   * A use that adds a violation to its token also writes that node (store and ledger.tokens) and an
   * alert.
   */
  static final int FLAGGING_USE = USE + 3;

  /**
   * A token.issued: link, tree topic, definition, node (store and ledger.tokens), subtree entry,
   * expiry entry, audit record. No dedupe entry: the link keeps the defining event's id.
   */
  static final int ISSUANCE = 8;

  /**
   * A child whose parent this instance resolved: as many as an issuance, the parent's root known
   * here ({@code ResolvedRoots}). No children-index entry: the parent is attached already, and the
   * child's subtree entry is what a cascade walks.
   */
  static final int CHILD_ISSUANCE = ISSUANCE;

  /**
   * A child whose parent is resolved but not known here (resolved by another instance, or before a
   * restart): plus the request and the answer on the resolve loop and the link written again
   * (pending, then resolved).
   */
  static final int ASKING_CHILD_ISSUANCE = ISSUANCE + 3;

  /**
   * A revocation of a token without descendants: dedupe entry, tree topic, the revocation, its
   * subtree entry's flag, the node (store and ledger.tokens), the notice and the audit record. No
   * follow-up on the tree topic: no descendant's node needs bringing in line.
   */
  static final int REVOCATION = 8;

  private static final String T = "wa";
  // The resource every use names: a root names at least one audience (EventRules).
  private static final String API = "https://api.example";
  private static final Instant EXPIRES = Driver.WALL.plus(Duration.ofDays(1));
  private static final Instant AT = Driver.WALL.minusSeconds(60);

  private StreamsSettings settings;
  private TopologyTestDriver driver;
  private TestInputTopic<String, LedgerEvent> events;

  WriteAmplificationTest() {
    start(Driver.settings().build());
  }

  private void start(StreamsSettings with) {
    if (driver != null) {
      driver.close();
    }
    settings = with;
    driver =
        new TopologyTestDriver(
            LedgerTopology.build(settings), LedgerTopology.streamsConfig(settings), Driver.WALL);
    events =
        driver.createInputTopic(
            Topics.EVENTS.name(),
            Serdes.String().serializer(),
            Topics.EVENTS.valueSerde().serializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @ParameterizedTest(name = "depth {0}")
  @ValueSource(ints = {3, 20})
  void aUseWritesAtMostThreeRecordsWhateverTheDepth(int depth) {
    String leaf = chain(depth, null);
    Map<String, Integer> first = written(use("u1", leaf, "agent:" + leaf));
    assertThat(total(first))
        .as("records per use at depth %d: %s", depth, first)
        .isLessThanOrEqualTo(USE);
    assertThat(first)
        .as("no TokenNode for a use that adds no violation")
        .doesNotContainKey(Topics.TOKENS.name());
    Map<String, Integer> second = written(use("u2", leaf, "agent:" + leaf));
    assertThat(total(second))
        .as("records per use at depth %d: %s", depth, second)
        .isLessThanOrEqualTo(USE);
  }

  @ParameterizedTest(name = "depth {0}")
  @ValueSource(ints = {3, 20})
  void aUseUnderMaxUsesWritesAtMostFourRecordsWhateverTheDepth(int depth) {
    String leaf = chain(depth, 1_000L);
    for (String id : List.of("u1", "u2")) {
      Map<String, Integer> counts = written(use(id, leaf, "agent:" + leaf));
      assertThat(total(counts))
          .as("records per budgeted use at depth %d: %s", depth, counts)
          .isLessThanOrEqualTo(BUDGETED_USE);
      assertThat(counts)
          .as("one budget entry, not one per ancestor")
          .containsEntry(changelog(LedgerStores.BUDGETS), 1);
    }
  }

  @ParameterizedTest(name = "depth {0}")
  @ValueSource(ints = {3, 20})
  void aUseThatFlagsItsTokenWritesThatNodeOnly(int depth) {
    String leaf = chain(depth, null);
    Map<String, Integer> counts = written(use("u1", leaf, "agent:mallory"));
    assertThat(total(counts))
        .as("records per flagging use at depth %d: %s", depth, counts)
        .isLessThanOrEqualTo(FLAGGING_USE);
    assertThat(counts).containsEntry(Topics.TOKENS.name(), 1);
  }

  @ParameterizedTest(name = "depth {0}")
  @ValueSource(ints = {3, 20})
  void theUsesFlushWritesEachCountedNodeOnceHoweverManyUses(int depth) {
    String leaf = chain(depth, null);
    int uses = 10;
    for (int i = 0; i < uses; i++) {
      written(use("u" + i, leaf, "agent:" + leaf));
    }
    Map<String, Integer> flush = flush();
    int nodes = depth + 1;
    assertThat(flush)
        .as("the flush at depth %d: %s", depth, flush)
        .containsEntry(Topics.TOKENS.name(), nodes)
        .containsEntry(changelog(LedgerStores.NODES), nodes);
    assertThat(total(flush))
        .as("a node (store and ledger.tokens) per counted token, a move per pending use: %s", flush)
        .isLessThanOrEqualTo(2 * nodes + 2 * uses);
    assertThat(total(flush())).as("nothing pending, nothing written").isZero();
  }

  @ParameterizedTest(name = "parents known here: {0}")
  @ValueSource(booleans = {true, false})
  void anIssuanceWritesABoundedNumberOfRecordsAtAnyDepth(boolean rootsKnown) {
    if (!rootsKnown) {
      start(Driver.settings().resolvedRoots(0).build());
    }
    int childBound = rootsKnown ? CHILD_ISSUANCE : ASKING_CHILD_ISSUANCE;
    Map<String, Integer> root =
        written(
            Events.issued(
                T,
                "ev-r",
                "r",
                "user:u",
                "agent:r",
                List.of(API),
                List.of("read"),
                EXPIRES,
                null,
                AT));
    assertThat(total(root)).as("a root: %s", root).isLessThanOrEqualTo(ISSUANCE);
    String parent = "r";
    for (int depth = 1; depth <= 20; depth++) {
      String id = "t" + depth;
      Map<String, Integer> child =
          written(Events.attenuated(T, "ev-" + id, id, parent, "agent:" + id, AT));
      assertThat(total(child))
          .as("a child at depth %d: %s", depth, child)
          .isLessThanOrEqualTo(childBound);
      assertThat(child.getOrDefault(LedgerTopology.resolveTopic(settings).name(), 0))
          .as("the resolve loop: a request and an answer, unless the parent's root is known here")
          .isEqualTo(rootsKnown ? 0 : 2);
      assertThat(child)
          .as("no pending node for a child whose parent is resolved")
          .containsEntry(Topics.TOKENS.name(), 1);
      assertThat(child)
          .as("no dedupe entry for a definition")
          .doesNotContainKey(changelog(LedgerStores.DEDUPE));
      parent = id;
    }
    LedgerEvent again = Events.attenuated(T, "ev-t20", "t20", "t19", "agent:t20", AT);
    assertThat(written(again))
        .as("a repeated definition is dropped by its link: nothing written, no DLQ")
        .isEmpty();
  }

  @ParameterizedTest(name = "depth {0}")
  @ValueSource(ints = {3, 20})
  void aRevocationOfOneTokenWritesABoundedNumberOfRecords(int depth) {
    String leaf = chain(depth, null);
    Map<String, Integer> counts = written(Events.revoked(T, "rev-1", leaf, AT));
    assertThat(total(counts))
        .as("records per revocation at depth %d: %s", depth, counts)
        .isLessThanOrEqualTo(REVOCATION);
    // Its parent has one descendant: the follow-up that brings the leaf's node in line is written.
    String parent = "t" + (depth - 1);
    Map<String, Integer> cascade = written(Events.revoked(T, "rev-2", parent, AT.minusSeconds(1)));
    assertThat(cascade)
        .as("a revocation with a descendant: %s", cascade)
        .containsEntry(Topics.REVOCATIONS.name(), 2);
    assertThat(cascade.get(settings.applicationId() + "-trees"))
        .as("the revocation and its follow-up")
        .isEqualTo(2);
  }

  @ParameterizedTest(name = "depth {0}")
  @ValueSource(ints = {3, 20})
  void aLateRevocationAddsOneAmendmentAndOneAlertPerUseItReJudges(int depth) {
    String leaf = chain(depth, null);
    written(
        Events.used(
            T, "late-use", leaf, API, "agent:" + leaf, Outcome.allowed, AT.plusSeconds(30)));
    Map<String, Integer> counts = written(Events.revoked(T, "rev-1", leaf, AT));
    // The revocation's own records, plus the amendment, the alert and the stored use flagged.
    assertThat(total(counts))
        .as("records per re-judging revocation at depth %d: %s", depth, counts)
        .isLessThanOrEqualTo(REVOCATION + 3);
    assertThat(counts)
        .as("its audit record and the use's amendment")
        .containsEntry(Topics.AUDIT.name(), 2)
        .containsEntry(Topics.ALERTS.name(), 1);
  }

  /**
   * Issues a chain of {@code depth} tokens below a root (with {@code maxUses}) and returns the
   * leaf's id.
   */
  private String chain(int depth, Long maxUses) {
    written(
        Events.issued(
            T,
            "ev-r",
            "r",
            "user:u",
            "agent:r",
            List.of(API),
            List.of("read"),
            EXPIRES,
            maxUses,
            AT));
    String parent = "r";
    for (int i = 1; i <= depth; i++) {
      String id = "t" + i;
      written(Events.attenuated(T, "ev-" + id, id, parent, "agent:" + id, AT));
      parent = id;
    }
    written(List.of()); // nothing is left in any topic
    return parent;
  }

  private static LedgerEvent use(String eventId, String token, String actor) {
    return Events.used(T, eventId, token, API, actor, Outcome.allowed, AT);
  }

  private Map<String, Integer> written(LedgerEvent event) {
    return written(List.of(event));
  }

  /** Pipes {@code batch} and counts what was written since the last count, per topic. */
  private Map<String, Integer> written(List<LedgerEvent> batch) {
    batch.forEach(e -> events.pipeInput(Events.key(e), e));
    return counts();
  }

  private Map<String, Integer> flush() {
    driver.advanceWallClockTime(settings.usesFlushInterval());
    return counts();
  }

  private Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (String topic : driver.producedTopicNames()) {
      int n =
          driver
              .createOutputTopic(
                  topic, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer())
              .readRecordsToList()
              .size();
      if (n > 0) {
        counts.put(topic, n);
      }
    }
    return counts;
  }

  private static int total(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  private String changelog(String store) {
    return settings.applicationId() + "-" + store + "-changelog";
  }
}
