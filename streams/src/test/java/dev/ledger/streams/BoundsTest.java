package dev.ledger.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.Alert;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenBody;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import dev.ledger.streams.internal.DlqProductionHandler;
import dev.ledger.streams.internal.LoopMessage;
import dev.ledger.streams.internal.SizeGuard;
import dev.ledger.streams.testing.Driver;
import dev.ledger.streams.testing.Events;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: nothing a producer sends grows a record or the resolve loop without bound. A chain is
 * cut at the max depth, every producer string is bounded, a cycle probe carries one id over at most
 * max-depth hops, and a record past the size guard goes to the DLQ instead of stopping the
 * processor.
 */
class BoundsTest {

  private static final Duration PAST_GRACE = Duration.ofMinutes(6);

  @Test
  void theIssuesChainOfHugeActorsGoesToTheDlqAndGrowsNothing() {
    try (Driver d = new Driver()) {
      d.send(Events.chain("poison", "p", 299, 4096));
      assertThat(d.dlq)
          .hasSize(300)
          .allSatisfy(
              r -> {
                assertThat(header(r, Topics.DLQ_HEADER_REASON)).isEqualTo("too_large");
                assertThat(header(r, Topics.DLQ_HEADER_MESSAGE))
                    .contains("token.actor: must be at most 1024 characters, not 4096");
              });
      assertThat(d.tokens).isEmpty();
      assertThat(d.loop).isEmpty();
    }
  }

  @Test
  void aChainIsCutAtTheMaxDepthInEveryOrderAndEveryEventIsAuditedOnce() {
    int hops = 10;
    int max = 5;
    List<LedgerEvent> chain = Events.chain("deep", "d", hops, 1024);
    for (List<LedgerEvent> order : List.of(chain, chain.reversed())) {
      try (Driver d = new Driver(Driver.settings().maxDepth(max).build())) {
        d.send(order).advance(PAST_GRACE);
        for (int i = 0; i <= max; i++) {
          assertThat(d.token("deep", "d" + i).getStatus()).isEqualTo(TokenStatus.active);
        }
        TokenNode cut = d.token("deep", "d" + (max + 1));
        assertThat(cut.getStatus()).as("refused like a cycle").isEqualTo(TokenStatus.pending);
        assertThat(cut.getViolations()).containsExactly(ViolationKind.depth_limit);
        assertThat(d.alerts).extracting(Alert::getAlertId).containsExactly("ev-d6/d6/depth_limit");
        for (int i = max + 2; i <= hops; i++) {
          assertThat(d.token("deep", "d" + i).getStatus())
              .as("below the cut: an orphan")
              .isEqualTo(TokenStatus.pending);
        }
        assertThat(d.tokenHistory)
            .as("no chain the ledger writes is longer than the bound")
            .allSatisfy(t -> assertThat(t.getChain().size()).isLessThanOrEqualTo(max + 1));
        Map<String, Long> audits =
            d.audit.stream()
                .collect(Collectors.groupingBy(AuditRecord::getEventId, Collectors.counting()));
        assertThat(audits)
            .hasSize(hops + 1)
            .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
        assertThat(d.auditOf("ev-d" + hops).getFirst().getChain()).isEmpty();
      }
    }
  }

  @Test
  void aTopDownChainWhoseRootNeverArrivesCostsAtMostMaxDepthProbesPerToken() {
    int n = 400;
    int max = StreamsSettings.DEFAULT_MAX_DEPTH;
    List<LedgerEvent> withoutRoot = Events.chain("late", "t", n, 20).subList(1, n + 1);
    try (Driver d = new Driver()) {
      d.send(withoutRoot);
      assertThat(max).isGreaterThan(d.settings.depthLimit());
      long probes = d.loop.stream().filter(m -> m instanceof LoopMessage.Probe).count();
      // Before issue 16: one probe per token and ancestor, n^2/2 = 80,000, each with the whole
      // path.
      assertThat(probes).as("probes").isLessThanOrEqualTo((long) n * max);
      assertThat(d.loop)
          .as("requests, probes and refusals: at most n * (maxDepth + 1)")
          .hasSizeLessThanOrEqualTo(n * (max + 1));
      assertThat(d.loop)
          .allSatisfy(
              m ->
                  assertThat(
                          switch (m) {
                            case LoopMessage.Probe p -> p.hops();
                            case LoopMessage.TooDeep t -> t.depth();
                            case LoopMessage.Answer a -> a.depth();
                            default -> 0;
                          })
                      .isLessThanOrEqualTo(max + 1));
      // t_k is at least k deep whatever its root turns out to be: past the bound it never resolves,
      // so it and everything below it is an orphan at once.
      assertThat(d.audit)
          .extracting(AuditRecord::getEventId)
          .containsExactlyInAnyOrderElementsOf(
              IntStream.rangeClosed(max + 1, n).mapToObj(i -> "ev-t" + i).toList());
      assertThat(d.alerts).isEmpty();

      d.send(Events.chain("late", "t", 0, 20)).advance(PAST_GRACE);
      assertThat(d.token("late", "t" + max).getStatus())
          .as("the root arrives: the chain above the cut resolves")
          .isEqualTo(TokenStatus.active);
      TokenNode cut = d.token("late", "t" + (max + 1));
      assertThat(cut.getStatus())
          .as("its chain known at last: refused")
          .isEqualTo(TokenStatus.pending);
      assertThat(cut.getViolations()).containsExactly(ViolationKind.depth_limit);
      assertThat(d.alerts)
          .as("flagged past depthLimit, refused past maxDepth, nothing below")
          .extracting(Alert::getTokenId)
          .containsExactlyInAnyOrderElementsOf(
              IntStream.rangeClosed(d.settings.depthLimit() + 1, max + 1)
                  .mapToObj(i -> "t" + i)
                  .toList());
      Map<String, Long> audits =
          d.audit.stream()
              .collect(Collectors.groupingBy(AuditRecord::getEventId, Collectors.counting()));
      assertThat(audits)
          .hasSize(n + 1)
          .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
    }
  }

  @Test
  void aRecordPastTheSizeGuardGoesToTheDlqAsItsIdentityAndProcessingGoesOn() {
    StreamsSettings small =
        Driver.settings()
            .override("producer.max.request.size", Integer.toString(40 * 1024))
            .build();
    try (Driver d = new Driver(small)) {
      Map<String, String> attributes = new HashMap<>();
      for (int i = 0; i < 30; i++) {
        attributes.put("a" + i, "v".repeat(1000));
      }
      LedgerEvent big = Events.chain("big", "b", 0, 10).getFirst();
      big.getToken().setAttributes(attributes);
      d.send(big).send(Events.quickstart());
      assertThat(d.dlq)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(header(r, Topics.DLQ_HEADER_REASON))
                    .isEqualTo(DlqProductionHandler.TOO_LARGE);
                assertThat(header(r, Topics.DLQ_HEADER_MESSAGE))
                    .startsWith(
                        "record for ledger-test-trees not written: RecordTooLargeException");
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("big/b0");
                assertThat(r.value()).isNull();
              });
      assertThat(d.token("acme", "tok-flights-lhr").getStatus()).isEqualTo(TokenStatus.revoked);
    }
  }

  @Test
  void theLargestRecordsTheDefaultsAllowFitTheProducer() {
    StreamsSettings defaults = Driver.settings().build();
    LedgerLimits limits = defaults.limits();
    int max = defaults.maxDepth();
    assertThat(LedgerTopology.largestRecordBytes(defaults))
        .isLessThan(1024 * 1024 - SizeGuard.HEADROOM);
    // Every id and actor as long as allowed, in a character of three UTF-8 bytes; the root's
    // audience and the deepest token's scopes as much text as one event may hold.
    String wide = "\u20ac";
    List<LedgerEvent> chain = new ArrayList<>();
    for (int i = 0; i <= max; i++) {
      String prefix = i + "-";
      String id = prefix + wide.repeat(limits.maxTokenIdLength() - prefix.length());
      String parent = i == 0 ? null : chain.get(i - 1).getToken().getTokenId();
      TokenBody body =
          TokenBody.newBuilder()
              .setTokenId(id)
              .setParentTokenId(parent)
              .setIssuer("as")
              .setSubject(i == 0 ? "user:u" : null)
              .setActor(wide.repeat(limits.maxTextLength()))
              .setAudience(i == 0 ? fill(limits) : List.of("a"))
              .setScopes(i == max ? fill(limits) : List.of("s"))
              .build();
      chain.add(
          LedgerEvent.newBuilder()
              .setEventId("e" + i)
              .setType(i == 0 ? "token.issued" : "token.exchanged")
              .setOccurredAt(Events.T0)
              .setTenant("wide")
              .setToken(body)
              .build());
    }
    try (Driver d = new Driver(defaults)) {
      d.send(chain);
      assertThat(d.dlq).as("nothing refused, by the validator or the size guard").isEmpty();
      TokenNode deepest = d.token("wide", chain.getLast().getToken().getTokenId());
      assertThat(deepest.getDepth()).isEqualTo(max);
      assertThat(deepest.getChain()).hasSize(max + 1);
      int bytes =
          Topics.TOKENS.valueSerde().serializer().serialize(Topics.TOKENS.name(), deepest).length;
      assertThat(bytes)
          .as("the largest TokenNode")
          .isBetween(400_000, (int) LedgerTopology.largestRecordBytes(defaults));
    }
  }

  /** As many 1,000-character items as one event's text allows besides its ids and actor. */
  private static List<String> fill(LedgerLimits limits) {
    int items =
        (limits.maxEventChars() - 2 * limits.maxTokenIdLength() - limits.maxTextLength() - 100)
            / 1000;
    return IntStream.range(0, items)
        .mapToObj(i -> i + "\u20ac".repeat(999 - Integer.toString(i).length() + 1))
        .toList();
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
