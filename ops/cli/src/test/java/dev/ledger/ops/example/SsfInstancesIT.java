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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two API instances, each with its own SSF transmitter, on one Kafka (a third node runs the stream
 * processor and the broker), sharing the signing key and the receivers' credentials as a cluster
 * does: a stream polled at one instance and acknowledged at the other is never handed out again;
 * exactly one instance pushes a push stream, each SET once, a verification asked at either reaches
 * the receiver once; both answer the stream's status with the same delivery figures; and when the
 * pushing instance stops in the middle of a delivery, the other delivers the rest, sending none of
 * what was delivered twice, and counts on from the stopped one's figures. Also SSF 1.0 section
 * 8.1.1.1: with one stream per receiver, a receiver's second create is 409.
 */
class SsfInstancesIT {
  private static final String SESSION_REVOKED =
      "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
  private static final String VERIFICATION =
      "https://schemas.openid.net/secevent/ssf/event-type/verification";

  @TempDir Path data;

  @Test
  void twoInstancesShareTheStreamsAndExactlyOnePushesEachSet() throws Exception {
    Path kafkaDir = data.resolve("kafka-node");
    Path dirA = data.resolve("api-a");
    Path dirB = data.resolve("api-b");
    ApiKeyStore keys = ApiKeyStore.open(dirA.resolve("keys.json"));
    String pushReceiver = keys.create(Role.subscriber, LedgerFixture.TENANT, "push rx").secret();
    String pollReceiver = keys.create(Role.subscriber, LedgerFixture.TENANT, "poll rx").secret();

    // The push receiver takes 300 ms per SET, so that a delivery is under way when its instance
    // stops; it counts every SET by jti.
    Map<String, Integer> received = new ConcurrentHashMap<>();
    List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    SlowPushReceiver push =
        SlowPushReceiver.start(
            (body, authorization) -> {
              authorizations.add(String.valueOf(authorization));
              received.merge(SignedJWT.parse(body).getJWTClaimsSet().getJWTID(), 1, Integer::sum);
              bodies.add(body);
            });
    SsfCluster cluster = SsfCluster.start(kafkaDir);
    Map<String, String> api = cluster.apiSettings(Map.of("ssf.streams.per.receiver", "1"));
    LedgerFixture a = null;
    LedgerFixture b = null;
    try {
      a = LedgerFixture.start(dirA, api, SsfCluster.API);
      // The second instance gets the first one's credentials and SSF signing key, as an operator
      // copies them to every instance of a cluster.
      SsfCluster.shareSecrets(dirA, dirB);
      b = LedgerFixture.start(dirB, SsfCluster.withoutNotary(api), SsfCluster.API);
      // One notary per deployment: B runs none, so the notary's key and the exports are A's.
      assertThat(a.ledgerGet("/v1/keys").statusCode()).isEqualTo(200);
      var noNotary = b.ledgerGet("/v1/keys");
      assertThat(noNotary.statusCode()).isEqualTo(503);
      assertThat(noNotary.body()).contains("notary.enabled");
      assertThat(b.ledgerGet("/v1/exports?tenant=acme").statusCode()).isEqualTo(503);
      Map<String, LedgerFixture> byIssuer = new HashMap<>();
      Map<String, SsfReceiver> verifiers = new HashMap<>();
      for (LedgerFixture instance : List.of(a, b)) {
        SsfReceiver rx = new SsfReceiver(instance.base, pushReceiver);
        rx.discover();
        byIssuer.put(instance.base, instance);
        verifiers.put(instance.base, rx);
      }
      SsfReceiver pushAtA = verifiers.get(a.base);
      SsfReceiver pushAtB = verifiers.get(b.base);
      assertThat(pushAtB.keys.getKeys()).isEqualTo(pushAtA.keys.getKeys());

      // One stream per receiver: its second create is 409, at either instance.
      JsonNode pushStream =
          pushAtA.createStream(
              Map.of("events_requested", List.of(SESSION_REVOKED), "delivery", push.delivery()));
      String pushId = pushStream.get("stream_id").asText();
      String pushAud = pushStream.get("aud").asText();
      // The other instance learns of the stream from Kafka a moment later.
      await(
          () -> status(pushAtB, "GET", "configuration_endpoint", "stream_id=" + pushId) == 200,
          "the push stream known at B");
      var second = pushAtB.call("POST", "configuration_endpoint", null, Map.of());
      assertThat(second.statusCode()).isEqualTo(409);
      assertThat(second.body()).contains("one stream per receiver");
      assertThat(
              pushAtB
                  .send("POST", pushAtB.endpoint("configuration_endpoint"), Map.of(), "not-a-key")
                  .statusCode())
          .isEqualTo(401);
      // A change made at one instance is what the other answers.
      var patched =
          pushAtB.call(
              "PATCH",
              "configuration_endpoint",
              null,
              Map.of("stream_id", pushId, "description", "patched at b"));
      assertThat(patched.statusCode()).isEqualTo(200);
      assertThat(SsfReceiver.JSON.readTree(patched.body()).get("description").asText())
          .isEqualTo("patched at b");
      await(
          () ->
              body(pushAtA, "configuration_endpoint", "stream_id=" + pushId)
                  .contains("patched at b"),
          "the change seen at A");
      assertThat(
              SsfReceiver.JSON.readTree(
                  pushAtB.call("GET", "configuration_endpoint", null, null).body()))
          .singleElement()
          .satisfies(s -> assertThat(s.get("stream_id").asText()).isEqualTo(pushId));

      // A verification asked at the second instance reaches the receiver once, from whichever
      // instance pushes the stream.
      assertThat(
              pushAtB
                  .call(
                      "POST",
                      "verification_endpoint",
                      null,
                      Map.of("stream_id", pushId, "state", "asked-at-b"))
                  .statusCode())
          .isEqualTo(204);
      await(() -> received.size() == 1, "the verification SET pushed");

      // Poll from either instance: SETs handed out by A and acknowledged at B never come again.
      SsfReceiver pollAtA = new SsfReceiver(a.base, pollReceiver);
      SsfReceiver pollAtB = new SsfReceiver(b.base, pollReceiver);
      pollAtA.discover();
      pollAtB.discover();
      JsonNode pollStream = pollAtB.createStream(Map.of("description", "polled at both"));
      String pollQuery = "stream_id=" + pollStream.get("stream_id").asText();
      // The other instance learns of the stream from Kafka a moment later.
      await(
          () -> status(pollAtA, "GET", "configuration_endpoint", pollQuery) == 200,
          "the poll stream known at A");
      JsonNode pollStreamAtA =
          SsfReceiver.JSON.readTree(
              pollAtA.call("GET", "configuration_endpoint", pollQuery, null).body());
      List<String> first = a.postChain("inst-poll", 2);
      a.awaitResolved(first.get(2), first.get(0));
      b.awaitResolved(first.get(2), first.get(0));
      a.revoke(first.get(0));
      Map<String, JWTClaimsSet> polled = new HashMap<>();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (polled.size() < 3 && System.nanoTime() < deadline) {
        JsonNode answer =
            pollAtA.poll(pollStreamAtA, Map.of("returnImmediately", false, "maxEvents", 10));
        for (String jti : fieldNames(answer.get("sets"))) {
          polled.put(
              jti,
              pollAtA.verify(answer.get("sets").get(jti).asText(), pollStream.get("aud").asText()));
        }
      }
      assertThat(polled).hasSize(3);
      assertThat(
              pollAtB
                  .poll(
                      pollStream,
                      Map.of("ack", List.copyOf(polled.keySet()), "returnImmediately", true))
                  .get("sets")
                  .size())
          .isZero();
      JsonNode afterAck = pollAtA.poll(pollStreamAtA, Map.of("returnImmediately", true));
      assertThat(fieldNames(afterAck.get("sets"))).doesNotContainAnyElementsOf(polled.keySet());

      // The push stream got the same three, each once. Then a longer cascade: once two of its
      // SETs arrived, the pushing instance stops; the other one takes the stream over and pushes
      // the rest, and a cascade revoked after the stop.
      await(() -> received.size() == 4, "the first cascade pushed");
      // Both instances answer the stream's status with the deployment's delivery figures.
      for (SsfReceiver rx : List.of(pushAtA, pushAtB)) {
        await(() -> delivered(rx, pushId) == 4, "4 delivered, at " + rx.wellKnownBase);
      }
      List<String> cascade = a.postChain("inst-push", 5);
      a.awaitResolved(cascade.get(5), cascade.get(0));
      b.awaitResolved(cascade.get(5), cascade.get(0));
      a.revoke(cascade.get(0));
      await(() -> received.size() >= 6, "two SETs of the second cascade pushed");
      String pusher = SignedJWT.parse(bodies.getLast()).getJWTClaimsSet().getIssuer();
      LedgerFixture stopped = byIssuer.get(pusher);
      // Both instances say which one pushes the stream: the one that does.
      for (LedgerFixture instance : List.of(a, b)) {
        JsonNode status =
            SsfReceiver.JSON.readTree(
                verifiers
                    .get(instance.base)
                    .call("GET", "status_endpoint", "stream_id=" + pushId, null)
                    .body());
        assertThat(status.get("delivery").get("pushed_here").asBoolean())
            .isEqualTo(instance == stopped);
      }
      LedgerFixture survivor = stopped == a ? b : a;
      stopped.close();
      if (stopped == a) {
        a = null;
      } else {
        b = null;
      }
      List<String> late = survivor.postChain("inst-late", 1);
      survivor.awaitResolved(late.get(1), late.get(0));
      survivor.revoke(late.get(0));
      await(() -> received.size() == 1 + 3 + 6 + 2, "every SET pushed");
      // The survivor counted on from the figures the stopped instance handed over with the stream.
      SsfReceiver atSurvivor = verifiers.get(survivor.base);
      await(() -> delivered(atSurvivor, pushId) == 12, "12 delivered, at the survivor");

      assertThat(received.values()).as("each SET pushed once").allMatch(n -> n == 1);
      // The stream has no authorization_header: no push carries one (the conformance suite's
      // push-without-authorization case).
      assertThat(authorizations).containsOnly("null");
      List<String> subjects = new ArrayList<>();
      List<String> lateIssuers = new ArrayList<>();
      for (String body : List.copyOf(bodies)) {
        JWTClaimsSet claims = SignedJWT.parse(body).getJWTClaimsSet();
        JWTClaimsSet set = verifiers.get(claims.getIssuer()).verify(body, pushAud);
        if (SsfReceiver.eventType(set).equals(VERIFICATION)) {
          assertThat(SsfReceiver.event(set)).containsEntry("state", "asked-at-b");
          assertThat(set.getJSONObjectClaim("sub_id"))
              .containsEntry("format", "opaque")
              .containsEntry("id", pushId);
          continue;
        }
        String token = (String) set.getJSONObjectClaim("sub_id").get("jti");
        subjects.add(token);
        if (late.contains(token)) {
          lateIssuers.add(set.getIssuer());
        }
      }
      List<String> expected = new ArrayList<>(first);
      expected.addAll(cascade);
      expected.addAll(late);
      assertThat(subjects).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(lateIssuers).containsOnly(survivor.base);
    } finally {
      push.close();
      for (LedgerFixture f : new LedgerFixture[] {a, b}) {
        if (f != null) {
          f.close();
        }
      }
      cluster.close();
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }

  /**
   * @return {@code delivery.delivered} in the push stream's status at that instance
   */
  private static long delivered(SsfReceiver rx, String streamId) {
    try {
      return SsfReceiver.JSON
          .readTree(body(rx, "status_endpoint", "stream_id=" + streamId))
          .path("delivery")
          .path("delivered")
          .asLong();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String body(SsfReceiver rx, String endpoint, String query) {
    try {
      return rx.call("GET", endpoint, query, null).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static int status(SsfReceiver rx, String method, String endpoint, String query) {
    try {
      return rx.call(method, endpoint, query, null).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
