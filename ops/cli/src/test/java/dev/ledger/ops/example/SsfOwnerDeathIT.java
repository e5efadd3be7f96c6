package dev.ledger.ops.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.api.auth.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API instance that pushes an SSF stream dies ({@code kill -9} of its JVM: no hand-over, it
 * stays in the group {@code ledger.ssf.transmitters} until its session times out) in the middle of
 * a cascade. The other instance takes the stream over once {@code ssf.session.timeout} has passed
 * and pushes the rest, and a cascade revoked while the stream had no live pusher: nothing is lost,
 * and the only SET the receiver may get twice is the one in flight when the owner died (a push is
 * acknowledged before the next one starts, so every earlier one was).
 */
class SsfOwnerDeathIT {
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

  /**
   * Beyond the session timeout: the group's rebalance, the new owner's first fetch and one push
   * (the receiver takes 300 ms), on a machine that may be loaded.
   */
  private static final Duration TAKEOVER_SLACK = Duration.ofSeconds(20);

  @TempDir Path data;

  /** One SET as the receiver got it. */
  private record Received(String jti, String issuer, String body, long atNanos) {}

  @Test
  void theSurvivorPushesEverythingOnceTheDeadOwnersSessionTimedOut() throws Exception {
    Path kafkaDir = data.resolve("kafka-node");
    Path dirA = data.resolve("api-a");
    Path dirB = data.resolve("api-b");
    ApiKeyStore keys = ApiKeyStore.open(dirA.resolve("keys.json"));
    String receiver = keys.create(Role.subscriber, LedgerFixture.TENANT, "push rx").secret();

    // The push receiver takes 300 ms per SET, so that a push is in flight when the owner dies.
    List<Received> received = Collections.synchronizedList(new ArrayList<>());
    SlowPushReceiver push =
        SlowPushReceiver.start(
            (body, authorization) -> {
              JWTClaimsSet claims = SignedJWT.parse(body).getJWTClaimsSet();
              received.add(
                  new Received(claims.getJWTID(), claims.getIssuer(), body, System.nanoTime()));
            });
    SsfCluster cluster = SsfCluster.start(kafkaDir);
    Map<String, String> api =
        cluster.apiSettings(Map.of("ssf.session.timeout", SESSION_TIMEOUT.toSeconds() + "s"));
    LedgerFixture a = null;
    ApiProcess b = null;
    try {
      a = LedgerFixture.start(dirA, api, SsfCluster.API);
      // The second instance, in a JVM of its own, shares the credentials and the signing key.
      SsfCluster.shareSecrets(dirA, dirB);
      b = ApiProcess.start(dirB, SsfCluster.withoutNotary(api));
      String baseA = a.base;
      String baseB = b.base;
      SsfReceiver atA = new SsfReceiver(a.base, receiver);
      SsfReceiver atB = new SsfReceiver(b.base, receiver);
      atA.discover();
      atB.discover();
      assertThat(atB.keys.getKeys()).isEqualTo(atA.keys.getKeys());

      // Which instance pushes a stream is the group's choice: create streams until one is B's. B
      // may join the group only after the first few are created (all of them A's then; CI saw 12 in
      // a row), so this tries for a time, not a count.
      JsonNode stream = null;
      long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (stream == null && System.nanoTime() - until < 0) {
        JsonNode created = atA.createStream(Map.of("delivery", push.delivery()));
        String id = created.get("stream_id").asText();
        if (pusher(atA, atB, id) == atB) {
          stream = created;
        } else {
          assertThat(
                  atA.call("DELETE", "configuration_endpoint", "stream_id=" + id, null)
                      .statusCode())
              .isEqualTo(204);
          Thread.sleep(500); // the pace of the attempts, while B's place in the group settles
        }
      }
      assertThat(stream).as("a stream pushed by the second instance").isNotNull();
      String aud = stream.get("aud").asText();

      // A cascade of eight tokens; once three of its SETs arrived (from B), B dies.
      List<String> cascade = a.postChain("death", 7);
      a.awaitResolved(cascade.get(7), cascade.get(0));
      a.revoke(cascade.get(0));
      await(() -> received.size() >= 3, Duration.ofSeconds(60), "three SETs pushed");
      b.kill();
      long diedAt = System.nanoTime();
      List<Received> beforeDeath = List.copyOf(received);
      assertThat(beforeDeath).extracting(Received::issuer).containsOnly(baseB);

      // Revoked while the stream has no live pusher: it waits in Kafka for the survivor.
      List<String> late = a.postChain("orphaned", 1);
      a.awaitResolved(late.get(1), late.get(0));
      a.revoke(late.get(0));

      int total = cascade.size() + late.size();
      await(
          () -> new HashSet<>(jtis(received)).size() == total,
          SESSION_TIMEOUT.plus(TAKEOVER_SLACK).plusSeconds(30),
          "every SET pushed");
      List<Received> all = List.copyOf(received);
      Received firstFromA =
          all.stream().filter(r -> r.issuer().equals(baseA)).findFirst().orElseThrow();
      Duration takeover = Duration.ofNanos(firstFromA.atNanos() - diedAt);
      System.out.printf("SsfOwnerDeathIT: the survivor pushed %s after the owner died%n", takeover);
      assertThat(takeover).isLessThan(SESSION_TIMEOUT.plus(TAKEOVER_SLACK));

      // Every SET verifies against the shared keys, and each token of both cascades got one.
      Set<String> subjects = new HashSet<>();
      for (Received r : all) {
        JWTClaimsSet set = (r.issuer().equals(baseA) ? atA : atB).verify(r.body(), aud);
        Map<String, Object> subject = set.getJSONObjectClaim("sub_id");
        subjects.add((String) subject.getOrDefault("jti", subject.get("id")));
      }
      List<String> expected = new ArrayList<>(cascade);
      expected.addAll(late);
      assertThat(subjects).containsExactlyInAnyOrderElementsOf(expected);
      // After the death only the survivor pushes; what it pushes again is at most the SET that
      // was in flight, whose acknowledgement the dead owner never wrote.
      assertThat(all.stream().filter(r -> r.atNanos() > diedAt + 1_000_000_000L))
          .extracting(Received::issuer)
          .containsOnly(baseA);
      List<String> again = new ArrayList<>(jtis(all));
      new HashSet<>(again).forEach(again::remove);
      String inFlight = all.stream().filter(r -> r.issuer().equals(baseB)).toList().getLast().jti();
      assertThat(again).as("SETs pushed twice").isSubsetOf(List.of(inFlight)).hasSizeLessThan(2);
    } finally {
      push.close();
      if (b != null) {
        b.close();
      }
      if (a != null) {
        a.close();
      }
      cluster.close();
    }
  }

  /**
   * Waits until both instances know the stream and agree which one pushes it; returns that one's
   * receiver.
   */
  private static SsfReceiver pusher(SsfReceiver a, SsfReceiver b, String streamId)
      throws Exception {
    return Awaitility.await("the instances agree which one pushes " + streamId)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Boolean atA = pushedHere(a, streamId);
              Boolean atB = pushedHere(b, streamId);
              return atA != null && atB != null && atA != atB ? (atA ? a : b) : null;
            },
            Objects::nonNull);
  }

  /**
   * @return whether the instance says it pushes the stream; null while it does not know the stream
   */
  private static Boolean pushedHere(SsfReceiver rx, String streamId) throws Exception {
    var r = rx.call("GET", "status_endpoint", "stream_id=" + streamId, null);
    if (r.statusCode() != 200) {
      return null;
    }
    return SsfReceiver.JSON.readTree(r.body()).path("delivery").path("pushed_here").asBoolean();
  }

  private static List<String> jtis(List<Received> received) {
    synchronized (received) {
      return received.stream().map(Received::jti).toList();
    }
  }

  private static void await(BooleanSupplier condition, Duration timeout, String what) {
    Awaitility.await(what)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }
}
