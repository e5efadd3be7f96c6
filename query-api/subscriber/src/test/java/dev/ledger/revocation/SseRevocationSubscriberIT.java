package dev.ledger.revocation;

import static dev.ledger.revocation.FakeRevocationStream.noticeJson;
import static dev.ledger.revocation.FakeRevocationStream.tombstoneJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SSE source against a local HTTP server speaking the ledger's stream format. */
class SseRevocationSubscriberIT {

  private FakeRevocationStream server;

  @BeforeEach
  void start() throws Exception {
    server = new FakeRevocationStream();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RevocationSettings.Builder settings() {
    return RevocationSettings.builder()
        .baseUrl(server.baseUrl())
        .bearerToken(FakeRevocationStream.KEY)
        .sseQuietPeriod(Duration.ofMillis(300))
        .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  /**
   * Publishes revocations of tok-from..tok-to (acme), then tombstones for every seventh of them.
   */
  private void publish(int from, int to) {
    for (int i = from; i < to; i++) {
      server.publish(
          "revocation",
          noticeJson("acme", "tok-" + i, i % 2 == 0 ? "tok-" + i : "root-" + i / 100));
    }
    for (int i = from; i < to; i += 7) {
      server.publish("tombstone", tombstoneJson("acme", "tok-" + i));
    }
  }

  /** What every token should look like after all published events. */
  private Set<String> expectedLive() {
    Set<String> live = new HashSet<>();
    for (FakeRevocationStream.Event e : server.events()) {
      String token = e.json().replaceAll(".*\"token_id\":\"([^\"]*)\".*", "$1");
      if (e.type().equals("revocation")) {
        live.add(token);
      } else {
        live.remove(token);
      }
    }
    return live;
  }

  private void assertSameAsServer(RevocationSource source, int tokens) {
    assertSameStateAsServer(source, tokens);
    // Every event applied exactly once: no replay across reconnects, no gap.
    assertThat(source.status().applied()).isEqualTo(server.events().size());
  }

  private void assertSameStateAsServer(RevocationSource source, int tokens) {
    Set<String> live = expectedLive();
    for (int i = 0; i < tokens; i++) {
      assertThat(source.isRevoked("acme", "tok-" + i))
          .as("tok-" + i)
          .isEqualTo(live.contains("tok-" + i));
    }
    assertThat(source.status().revocations()).isEqualTo(live.size());
  }

  @ParameterizedTest
  @EnumSource(RevocationSettings.Store.class)
  void bootstrapsFollowsLiveAndResumesAfterADisconnectWithoutMissingANotice(
      RevocationSettings.Store store) throws Exception {
    long t0 = System.nanoTime();
    publish(0, 2000);
    System.out.printf("published in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    try (RevocationSource source =
        RevocationSubscriber.sse(
            settings().store(store).listener(r -> seen.add(r.tokenId())).build())) {
      assertThat(source.isRevoked("acme", "tok-1")).as("fail closed during bootstrap").isTrue();
      assertThat(source.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
      System.out.printf("caught up at %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      assertSameAsServer(source, 2000);
      assertThat(server.resumeIds).containsExactly("0");
      assertThat(server.queries).containsExactly("null");
      assertThat(source.lookup("acme", "tok-3"))
          .contains(
              new Revocation(
                  "acme",
                  "tok-3",
                  Instant.parse("2026-03-01T12:00:00.250Z"),
                  "root-0",
                  Instant.parse("2026-03-01T13:00:00.250Z")));
      assertThat(source.lag()).isZero();
      assertThat(seen).hasSize(2000);

      long lastBeforeDrop =
          server.publish("revocation", noticeJson("acme", "tok-2000", "tok-2000"));
      await().atMost(Duration.ofSeconds(5)).until(() -> source.isRevoked("acme", "tok-2000"));

      server.unavailable(true);
      server.dropAll();
      await().atMost(Duration.ofSeconds(5)).until(() -> source.status().lastError() != null);
      assertThat(source.status().connected()).isFalse();
      assertThat(source.lag()).isEqualTo(-1);
      publish(2001, 2300);
      assertThat(source.isRevoked("acme", "tok-2001")).as("not yet: the server is down").isFalse();
      server.unavailable(false);

      await().atMost(Duration.ofSeconds(10)).until(() -> source.isRevoked("acme", "tok-2299"));
      assertThat(server.resumeIds).containsExactly("0", FakeRevocationStream.id(lastBeforeDrop));
      assertSameAsServer(source, 2300);
      assertThat(source.status().connected()).isTrue();
      assertThat(source.status().lastError()).isNull();
    }
  }

  @Test
  void aConnectionTornInTheMiddleOfAnEventResumesFromTheLastCompleteOne() throws Exception {
    publish(0, 1000);
    server.tearNextConnectionAfter(500);
    try (RevocationSource source = RevocationSubscriber.sse(settings().build())) {
      assertThat(source.awaitCaughtUp(Duration.ofSeconds(20))).isTrue();
      assertThat(server.resumeIds).containsExactly("0", FakeRevocationStream.id(500));
      assertSameAsServer(source, 1000);
    }
  }

  @Test
  void aWrongKeyIsReportedAndTheSourceStaysClosed() throws Exception {
    publish(0, 10);
    try (RevocationSource source =
        RevocationSubscriber.sse(settings().bearerToken("wrong").build())) {
      await().atMost(Duration.ofSeconds(5)).until(() -> source.status().lastError() != null);
      assertThat(source.status().lastError()).contains("HTTP 401").contains("bad key");
      assertThat(source.awaitCaughtUp(Duration.ofMillis(500))).isFalse();
      assertThat(source.isRevoked("acme", "never-revoked")).isTrue();
    }
  }

  @Test
  void aSilentConnectionIsDroppedAndReopenedAndTheTenantIsSent() throws Exception {
    server.keepAlive(Duration.ZERO);
    try (RevocationSource source =
        RevocationSubscriber.sse(
            settings().tenant("acme").sseIdleTimeout(Duration.ofMillis(600)).build())) {
      assertThat(source.awaitCaughtUp(Duration.ofSeconds(5)))
          .as("an empty stream is caught up after the quiet period")
          .isTrue();
      assertThat(source.isRevoked("acme", "x")).isFalse();
      await().atMost(Duration.ofSeconds(10)).until(() -> server.resumeIds.size() >= 2);
      assertThat(server.queries).allMatch("tenant=acme"::equals);
      server.publish("revocation", noticeJson("acme", "late", "late"));
      await().atMost(Duration.ofSeconds(10)).until(() -> source.isRevoked("acme", "late"));
    }
  }

  @Test
  void keepAlivesDoNotHoldBackCatchingUpAndOddIdsAreDecoded() throws Exception {
    server.keepAlive(Duration.ofMillis(50));
    server.publish(
        "revocation", noticeJson("acme", "tök \"quoted\" \\ 😀", "tök \"quoted\" \\ 😀"));
    server.publish("revocation", "{not json");
    server.publish("something-new", "{}");
    try (RevocationSource source = RevocationSubscriber.sse(settings().build())) {
      assertThat(source.awaitCaughtUp(Duration.ofSeconds(5))).isTrue();
      assertThat(source.isRevoked("acme", "tök \"quoted\" \\ 😀")).isTrue();
      assertThat(source.status().skipped()).isEqualTo(1);
      server.dropAll();
      await().atMost(Duration.ofSeconds(5)).until(() -> server.resumeIds.size() == 2);
      assertThat(server.resumeIds.get(1))
          .as("bad and unknown events still move the resume point")
          .isEqualTo(FakeRevocationStream.id(3));
    }
  }

  @Test
  void anIdTheServerRefusesStartsTheSourceOverWithAFullReplay() throws Exception {
    // A server upgraded under the source: it sent v1.16 sequence numbers, then refuses them.
    server.numericIds(true);
    publish(0, 10);
    String lastNumeric = Integer.toString(server.events().size());
    try (RevocationSource source = RevocationSubscriber.sse(settings().build())) {
      assertThat(source.awaitCaughtUp(Duration.ofSeconds(5))).isTrue();
      server.numericIds(false);
      server.dropAll();
      publish(10, 20);
      await().atMost(Duration.ofSeconds(10)).until(() -> server.resumeIds.size() >= 3);
      assertThat(server.resumeIds)
          .as("the refused id once, then the whole replay")
          .containsExactly("0", lastNumeric, "0");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> source.status().applied() == Integer.parseInt(lastNumeric) + 24);
      assertSameStateAsServer(source, 20);
      assertThat(source.status().applied())
          .as("the first connection's events, then all of them again, once")
          .isEqualTo(Integer.parseInt(lastNumeric) + server.events().size());
      assertThat(source.status().connected()).isTrue();
    }
  }
}
