package dev.ledger.ops.example;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.api.auth.Role;
import dev.ledger.ingest.client.Events;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger as an SSF 1.0 transmitter, followed by {@link SsfReceiver} (written from the specs)
 * over real HTTP on a real node: discovery, a poll and a push stream, verification with state, a
 * 3-hop chain revoked at the root as three signed session-revoked SETs with one txn, ack, pause and
 * enable, tenant isolation, a push receiver that answers 503 for a while, a restart that keeps what
 * was not acknowledged and nothing that was, the conformance suite's negative cases, and delete.
 * Also: a descendant learned after the revocation (born revoked) in the same txn, push order, a
 * second verification too soon (429), PUT replacing a stream's configuration, and, after a restart
 * with {@code default_subjects: NONE}, added and removed subjects filtering what the stream gets;
 * the operator's {@code ledger ssf} commands; and the conformance suite's remaining requests
 * (docs/ssf-conformance.md): no empty array in the metadata, standard {@code events_supported}, an
 * {@code email} subject, {@code setErrs}, status {@code disabled}, a second delete.
 */
class SsfTransmitterIT {
  private static final String SESSION_REVOKED =
      "https://schemas.openid.net/secevent/caep/event-type/session-revoked";
  private static final String VERIFICATION =
      "https://schemas.openid.net/secevent/ssf/event-type/verification";
  private static final String CREDENTIAL_CHANGE =
      "https://schemas.openid.net/secevent/caep/event-type/credential-change";
  private static final String ISSUER = "https://auth.acme.example";

  @TempDir Path data;

  @Test
  void aReceiverFollowsCascadedRevocationsOverPollAndPush() throws Exception {
    ApiKeyStore keys = ApiKeyStore.open(data.resolve("keys.json"));
    String subscriber = keys.create(Role.subscriber, LedgerFixture.TENANT, "ssf receiver").secret();
    String otherTenant = keys.create(Role.subscriber, "globex", "globex receiver").secret();
    String auditor = keys.create(Role.auditor, LedgerFixture.TENANT, "auditor").secret();

    List<String> pushed = Collections.synchronizedList(new ArrayList<>());
    List<String> pushAuth = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger pushCalls = new AtomicInteger();
    HttpServer push = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    push.createContext(
        "/events",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          boolean down =
              pushCalls.incrementAndGet()
                  <= 4; // a receiver that is down for its first four attempts
          if (!down) {
            pushed.add(new String(body, StandardCharsets.UTF_8));
            pushAuth.add(
                exchange.getRequestHeaders().getFirst("Authorization")
                    + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type"));
          }
          exchange.sendResponseHeaders(down ? 503 : 202, -1);
          exchange.close();
        });
    // A receiver that refuses every SET as invalid (RFC 8935: 400): each is dead-lettered at once.
    push.createContext(
        "/refuse",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] err =
              "{\"err\":\"invalid_request\",\"description\":\"no\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(400, err.length);
          exchange.getResponseBody().write(err);
          exchange.close();
        });
    push.start();

    String pollStreamId;
    List<String> ackedBeforeRestart = new ArrayList<>();
    String unackedJti;
    try (LedgerFixture ledger = LedgerFixture.start(data)) {
      SsfReceiver rx = new SsfReceiver(ledger.base, subscriber);

      // Discovery (SSF 1.0 section 7), open.
      JsonNode discovery = rx.discover();
      assertThat(discovery.get("spec_version").asText()).isEqualTo("1_0");
      assertThat(discovery.get("issuer").asText()).isEqualTo(ledger.base);
      assertThat(discovery.get("delivery_methods_supported").toString())
          .contains("urn:ietf:rfc:8935", "urn:ietf:rfc:8936");
      assertThat(discovery.get("authorization_schemes").get(0).get("spec_urn").asText())
          .isEqualTo("urn:ietf:rfc:6749");
      for (String e :
          List.of(
              "configuration_endpoint",
              "status_endpoint",
              "add_subject_endpoint",
              "remove_subject_endpoint",
              "verification_endpoint")) {
        assertThat(discovery.get(e).asText()).startsWith(ledger.base);
      }
      // The conformance suite refuses empty arrays in the metadata.
      for (Map.Entry<String, JsonNode> f : discovery.properties()) {
        assertThat(f.getValue().isArray() && f.getValue().isEmpty()).as(f.getKey()).isFalse();
      }
      assertThat(rx.keys.getKeys())
          .singleElement()
          .satisfies(k -> assertThat(k.getKeyID()).isNotBlank());

      // Negative cases of the conformance suite.
      assertThat(rx.send("GET", rx.endpoint("configuration_endpoint"), null, null).statusCode())
          .isEqualTo(401);
      assertThat(
              rx.send("GET", rx.endpoint("configuration_endpoint"), null, "not-a-key").statusCode())
          .isEqualTo(401);
      assertThat(rx.send("GET", rx.endpoint("configuration_endpoint"), null, auditor).statusCode())
          .isEqualTo(403);
      assertThat(
              rx.call("GET", "configuration_endpoint", "stream_id=no-such-stream", null)
                  .statusCode())
          .isEqualTo(404);
      assertThat(
              rx.call(
                      "POST",
                      "configuration_endpoint",
                      null,
                      Map.of("delivery", Map.of("method", "urn:example:carrier-pigeon")))
                  .statusCode())
          .isEqualTo(400);
      assertThat(rx.call("POST", "configuration_endpoint", null, "{\"delivery\": ").statusCode())
          .isEqualTo(400);
      assertThat(rx.call("GET", "configuration_endpoint", null, null).body()).isEqualTo("[]");

      // A poll stream (no delivery given: poll, with the transmitter's endpoint) and a push stream.
      JsonNode poll =
          rx.createStream(
              Map.of("events_requested", List.of(SESSION_REVOKED), "description", "poll rx"));
      pollStreamId = poll.get("stream_id").asText();
      assertThat(poll.get("delivery").get("method").asText()).isEqualTo("urn:ietf:rfc:8936");
      assertThat(poll.get("delivery").get("endpoint_url").asText()).startsWith(ledger.base);
      assertThat(poll.get("events_delivered").toString()).contains(SESSION_REVOKED);
      // Only event types SSF and CAEP define (the conformance suite checks events_supported).
      assertThat(poll.get("events_supported"))
          .extracting(JsonNode::asText)
          .containsExactlyInAnyOrder(SESSION_REVOKED, CREDENTIAL_CHANGE);
      String aud = poll.get("aud").asText();
      JsonNode pushStream =
          rx.createStream(
              Map.of(
                  "delivery",
                  Map.of(
                      "method",
                      "urn:ietf:rfc:8935",
                      "endpoint_url",
                      "http://127.0.0.1:" + push.getAddress().getPort() + "/events",
                      "authorization_header",
                      "Bearer push-secret")));
      String refusedId =
          rx.createStream(
                  Map.of(
                      "delivery",
                      Map.of(
                          "method",
                          "urn:ietf:rfc:8935",
                          "endpoint_url",
                          "http://127.0.0.1:" + push.getAddress().getPort() + "/refuse")))
              .get("stream_id")
              .asText();
      assertThat(rx.call("GET", "configuration_endpoint", null, null).body())
          .contains(pollStreamId, pushStream.get("stream_id").asText(), refusedId);
      // Another tenant's receiver does not see the stream at all.
      assertThat(
              rx.send(
                      "GET",
                      rx.endpoint("configuration_endpoint") + "?stream_id=" + pollStreamId,
                      null,
                      otherTenant)
                  .statusCode())
          .isEqualTo(404);
      // Transmitter-supplied values cannot be changed.
      assertThat(
              rx.call(
                      "PATCH",
                      "configuration_endpoint",
                      null,
                      Map.of("stream_id", pollStreamId, "aud", "someone-else"))
                  .statusCode())
          .isEqualTo(400);
      // The conformance suite's update, replace and delete error cases: bad token, unknown stream,
      // malformed body.
      for (String method : List.of("PATCH", "PUT")) {
        assertThat(
                rx.send(
                        method,
                        rx.endpoint("configuration_endpoint"),
                        Map.of("stream_id", pollStreamId),
                        "not-a-key")
                    .statusCode())
            .isEqualTo(401);
        assertThat(
                rx.call(method, "configuration_endpoint", null, Map.of("stream_id", "no-such"))
                    .statusCode())
            .isEqualTo(404);
        assertThat(rx.call(method, "configuration_endpoint", null, "{\"stream_id\": ").statusCode())
            .isEqualTo(400);
      }
      assertThat(
              rx.send(
                      "DELETE",
                      rx.endpoint("configuration_endpoint") + "?stream_id=" + pollStreamId,
                      null,
                      "not-a-key")
                  .statusCode())
          .isEqualTo(401);
      assertThat(
              rx.call("DELETE", "configuration_endpoint", "stream_id=no-such", null).statusCode())
          .isEqualTo(404);

      // Verification with state: 204, then a verification SET carrying it.
      assertThat(
              rx.call(
                      "POST",
                      "verification_endpoint",
                      null,
                      Map.of("stream_id", pollStreamId, "state", "st-42"))
                  .statusCode())
          .isEqualTo(204);
      // Another one at once is too soon: 429, and the configuration says how often one may ask.
      var tooSoon =
          rx.call(
              "POST",
              "verification_endpoint",
              null,
              Map.of("stream_id", pollStreamId, "state", "st-43"));
      assertThat(tooSoon.statusCode()).isEqualTo(429);
      assertThat(tooSoon.headers().firstValue("Retry-After")).isPresent();
      assertThat(poll.get("min_verification_interval").asInt()).isEqualTo(10);
      assertThat(poll.get("inactivity_timeout").asInt()).isEqualTo(30 * 24 * 3600);
      Map<String, JWTClaimsSet> got = pollUntil(rx, poll, aud, 1, List.of());
      JWTClaimsSet verification = got.values().iterator().next();
      assertThat(SsfReceiver.eventType(verification)).isEqualTo(VERIFICATION);
      assertThat(SsfReceiver.event(verification)).containsEntry("state", "st-42");
      assertThat(verification.getJSONObjectClaim("sub_id"))
          .containsEntry("format", "opaque")
          .containsEntry("id", pollStreamId);

      // A 3-hop chain revoked at the root: three session-revoked SETs, one txn, each token its own
      // subject.
      List<String> chain = ledger.postChain("ssf", 2);
      // The ledger knows the chain, and so each token's issuer.
      ledger.awaitResolved(chain.get(2), chain.get(0));
      ledger.revoke(chain.get(0));
      Map<String, JWTClaimsSet> cascade = pollUntil(rx, poll, aud, 3, List.copyOf(got.keySet()));
      assertThat(cascade.values().stream().map(c -> c.getClaim("txn")).distinct()).hasSize(1);
      Map<String, JWTClaimsSet> bySubject = new HashMap<>();
      for (JWTClaimsSet c : cascade.values()) {
        assertThat(SsfReceiver.eventType(c)).isEqualTo(SESSION_REVOKED);
        Map<String, Object> subject = c.getJSONObjectClaim("sub_id");
        assertThat(subject).containsEntry("format", "jwt_id").containsEntry("iss", ISSUER);
        bySubject.put((String) subject.get("jti"), c);
      }
      assertThat(bySubject.keySet()).containsExactlyInAnyOrderElementsOf(chain);
      Map<String, Object> rootEvent = SsfReceiver.event(bySubject.get(chain.get(0)));
      Map<String, Object> leafEvent = SsfReceiver.event(bySubject.get(chain.get(2)));
      assertThat(rootEvent).containsEntry("initiating_entity", "admin");
      assertThat(leafEvent)
          .containsEntry("initiating_entity", "policy")
          .containsKey("event_timestamp");
      assertThat(leafEvent.get("reason_admin").toString())
          .contains("ancestor " + chain.get(0) + " revoked");
      assertThat(leafEvent.get("https://ledger.dev/secevent/delegation").toString())
          .contains("revoked_ancestor=" + chain.get(0), "root=" + chain.get(0), "chain=" + chain);

      // Not acknowledged: handed out again, with the same jti. Acknowledged: never again.
      JsonNode again = rx.poll(poll, Map.of("returnImmediately", true));
      assertThat(fieldNames(again.get("sets")))
          .containsExactlyInAnyOrderElementsOf(cascade.keySet());
      JsonNode afterAck =
          rx.poll(poll, Map.of("ack", List.copyOf(cascade.keySet()), "returnImmediately", true));
      assertThat(afterAck.get("sets").size()).isZero();
      ackedBeforeRestart.addAll(cascade.keySet());

      // A descendant the ledger learns of after the revocation is born revoked: it gets its SET
      // too, in the same txn, revoked by policy because of the root.
      Instant learned = Instant.now();
      ledger.client.send(
          List.of(
              Events.exchanged("ssf-late", chain.get(2))
                  .tenant(LedgerFixture.TENANT)
                  .issuer(ISSUER)
                  .audience(LedgerFixture.AUDIENCE)
                  .scopes("flights:search")
                  .actor("agent:late")
                  .occurredAt(learned)
                  .build()));
      Map<String, JWTClaimsSet> bornRevoked = pollUntil(rx, poll, aud, 1, List.of());
      JWTClaimsSet lateSet = bornRevoked.values().iterator().next();
      assertThat(lateSet.getJSONObjectClaim("sub_id")).containsEntry("jti", "ssf-late");
      assertThat(lateSet.getClaim("txn"))
          .isEqualTo(cascade.values().iterator().next().getClaim("txn"));
      assertThat(SsfReceiver.event(lateSet)).containsEntry("initiating_entity", "policy");
      assertThat(SsfReceiver.event(lateSet).get("reason_admin").toString())
          .contains("ancestor " + chain.get(0) + " revoked");
      rx.poll(poll, Map.of("ack", List.copyOf(bornRevoked.keySet()), "maxEvents", 0));
      ackedBeforeRestart.addAll(bornRevoked.keySet());

      // Paused: events are held, in order, and come once enabled.
      assertThat(
              rx.call(
                      "POST",
                      "status_endpoint",
                      null,
                      Map.of("stream_id", pollStreamId, "status", "paused"))
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              SsfReceiver.JSON
                  .readTree(
                      rx.call("GET", "status_endpoint", "stream_id=" + pollStreamId, null).body())
                  .get("status")
                  .asText())
          .isEqualTo("paused");
      // Another tenant's revocation, then one of this tenant, while paused.
      Instant t = Instant.now();
      ledger.client.send(
          List.of(
              Events.issued("gx-0")
                  .tenant("globex")
                  .issuer(ISSUER)
                  .subject("user:gil")
                  .actor("agent:g")
                  .audience(LedgerFixture.AUDIENCE)
                  .scopes("flights:search")
                  .expiresAt(t.plusSeconds(3600))
                  .occurredAt(t)
                  .build()));
      ledger.client.send(
          List.of(
              Events.revoked("gx-0")
                  .tenant("globex")
                  .reason("test")
                  .revokedBy("user:gil")
                  .build()));
      List<String> held = ledger.postChain("held", 0);
      ledger.revoke(held.get(0));
      // Nothing may arrive while paused: an absence has no event to wait for, so it must hold for a
      // bounded while (long enough for the revocations to reach the transmitter).
      Awaitility.await("no SET while the stream is paused")
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> rx.poll(poll, Map.of("returnImmediately", true)).get("sets").isEmpty());
      rx.call(
          "POST", "status_endpoint", null, Map.of("stream_id", pollStreamId, "status", "enabled"));
      Map<String, JWTClaimsSet> released = pollUntil(rx, poll, aud, 1, List.of());
      JWTClaimsSet heldSet = released.values().iterator().next();
      assertThat(heldSet.getJSONObjectClaim("sub_id")).containsEntry("jti", held.get(0));
      unackedJti = released.keySet().iterator().next(); // left unacknowledged across the restart

      // PUT replaces every receiver-supplied value: the stream now gets credential-change events
      // (the held SET, made again after the restart, shows it), and its description is new.
      var replaced =
          rx.call(
              "PUT",
              "configuration_endpoint",
              null,
              Map.of(
                  "stream_id",
                  pollStreamId,
                  "events_requested",
                  List.of(CREDENTIAL_CHANGE),
                  "description",
                  "replaced"));
      assertThat(replaced.statusCode()).isEqualTo(200);
      JsonNode afterPut = SsfReceiver.JSON.readTree(replaced.body());
      assertThat(afterPut.get("events_delivered").toString())
          .isEqualTo("[\"" + CREDENTIAL_CHANGE + "\"]");
      assertThat(afterPut.get("description").asText()).isEqualTo("replaced");
      assertThat(afterPut.get("delivery").get("method").asText()).isEqualTo("urn:ietf:rfc:8936");
      assertThat(
              SsfReceiver.JSON
                  .readTree(
                      rx.call("GET", "configuration_endpoint", "stream_id=" + pollStreamId, null)
                          .body())
                  .get("description")
                  .asText())
          .isEqualTo("replaced");
      assertThat(
              rx.call(
                      "PUT",
                      "configuration_endpoint",
                      null,
                      Map.of("stream_id", pollStreamId, "iss", "https://elsewhere.example"))
                  .statusCode())
          .isEqualTo(400);
      assertThat(
              rx.call("PUT", "configuration_endpoint", null, Map.of("stream_id", "no-such-stream"))
                  .statusCode())
          .isEqualTo(404);
      // The conformance suite's subject: an email address, said to be verified.
      Map<String, Object> email =
          Map.of(
              "stream_id",
              pollStreamId,
              "subject",
              Map.of("format", "email", "email", "example.user@example.com"),
              "verified",
              true);
      assertThat(rx.call("POST", "add_subject_endpoint", null, email).statusCode()).isEqualTo(200);
      assertThat(rx.call("POST", "remove_subject_endpoint", null, email).statusCode())
          .isEqualTo(204);
      // The held token becomes one of the stream's subjects, so that it still gets that SET once
      // the transmitter is restarted with default_subjects NONE.
      assertThat(
              rx.call(
                      "POST",
                      "add_subject_endpoint",
                      null,
                      Map.of(
                          "stream_id",
                          pollStreamId,
                          "subject",
                          Map.of("format", "opaque", "id", held.get(0))))
                  .statusCode())
          .isEqualTo(200);

      // The push receiver was down for its first attempts and still gets everything, in order,
      // signed.
      Awaitility.await("five SETs pushed")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> pushed.size() >= 5);
      assertThat(pushCalls.get()).isGreaterThan(4);
      String pushAud = pushStream.get("aud").asText();
      Set<String> pushedSubjects = new HashSet<>();
      for (String set : List.copyOf(pushed)) {
        JWTClaimsSet c = rx.verify(set, pushAud);
        pushedSubjects.add((String) c.getJSONObjectClaim("sub_id").get("jti"));
      }
      assertThat(pushedSubjects)
          .containsExactlyInAnyOrder(
              chain.get(0), chain.get(1), chain.get(2), "ssf-late", held.get(0));
      // In order: a jti is <stream>:<partition>:<offset> of the notice, and one partition's
      // notices were pushed in their order.
      Map<String, Long> lastOffset = new HashMap<>();
      for (String set : List.copyOf(pushed)) {
        String[] at = rx.verify(set, pushAud).getJWTID().split(":");
        Long before = lastOffset.put(at[1], Long.parseLong(at[2]));
        assertThat(before == null || before < Long.parseLong(at[2])).as("pushed in order").isTrue();
      }
      assertThat(pushAuth).allMatch(h -> h.equals("Bearer push-secret application/secevent+jwt"));
      JsonNode pushStatus =
          SsfReceiver.JSON.readTree(
              rx.call(
                      "GET",
                      "status_endpoint",
                      "stream_id=" + pushStream.get("stream_id").asText(),
                      null)
                  .body());
      assertThat(pushStatus.get("delivery").get("delivered").asLong()).isEqualTo(5);
      assertThat(pushStatus.get("delivery").get("dead_lettered").asLong()).isZero();
      JsonNode refused =
          Awaitility.await("the refusing receiver's five SETs dead-lettered")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () ->
                      SsfReceiver.JSON.readTree(
                          rx.call("GET", "status_endpoint", "stream_id=" + refusedId, null).body()),
                  r -> r.get("delivery").get("dead_lettered").asLong() == 5);
      assertThat(refused.get("delivery").get("dead_lettered_jtis")).hasSize(5);
      assertThat(refused.get("delivery").get("last_error").asText())
          .contains("400", "invalid_request");
      assertThat(
              rx.call("DELETE", "configuration_endpoint", "stream_id=" + refusedId, null)
                  .statusCode())
          .isEqualTo(204);
    } finally {
      push.stop(0);
    }

    // A restart keeps the streams and hands out again exactly what was not acknowledged. From now
    // on a stream gets only the revocations of the subjects added to it.
    try (LedgerFixture ledger = LedgerFixture.start(data, Map.of("ssf.default.subjects", "NONE"))) {
      SsfReceiver rx = new SsfReceiver(ledger.base, subscriber);
      assertThat(rx.discover().get("default_subjects").asText()).isEqualTo("NONE");
      awaitHealthy(
          ledger); // a node closed while its stream processor still joins its group takes 30 s to
      // stop
      JsonNode poll =
          SsfReceiver.JSON.readTree(
              rx.call("GET", "configuration_endpoint", "stream_id=" + pollStreamId, null).body());
      JsonNode redelivered = rx.poll(poll, Map.of("returnImmediately", false, "maxEvents", 10));
      assertThat(fieldNames(redelivered.get("sets")))
          .containsExactly(unackedJti)
          .doesNotContainAnyElementsOf(ackedBeforeRestart);
      assertThat(
              SsfReceiver.eventType(
                  rx.verify(
                      redelivered.get("sets").get(unackedJti).asText(), poll.get("aud").asText())))
          .isEqualTo(CREDENTIAL_CHANGE);
      assertThat(
              rx.poll(poll, Map.of("ack", List.of(unackedJti), "returnImmediately", true))
                  .get("sets")
                  .size())
          .isZero();

      // Subjects filter: the stream follows chain A (a subject naming its root reaches the whole
      // chain) and followed D until it removed it; B was never its subject.
      List<String> chainA = ledger.postChain("sub-a", 1);
      List<String> chainB = ledger.postChain("sub-b", 0);
      List<String> chainD = ledger.postChain("sub-d", 0);
      ledger.awaitResolved(chainA.get(1), chainA.get(0));
      ledger.awaitResolved(chainB.get(0), chainB.get(0));
      ledger.awaitResolved(chainD.get(0), chainD.get(0));
      for (Map<String, Object> subject :
          List.<Map<String, Object>>of(
              Map.of("format", "jwt_id", "iss", ISSUER, "jti", chainA.get(0)),
              Map.of("format", "opaque", "id", chainD.get(0)))) {
        assertThat(
                rx.call(
                        "POST",
                        "add_subject_endpoint",
                        null,
                        Map.of("stream_id", pollStreamId, "subject", subject))
                    .statusCode())
            .isEqualTo(200);
      }
      assertThat(
              rx.call(
                      "POST",
                      "remove_subject_endpoint",
                      null,
                      Map.of(
                          "stream_id",
                          pollStreamId,
                          "subject",
                          Map.of("format", "opaque", "id", chainD.get(0))))
                  .statusCode())
          .isEqualTo(204);
      assertThat(
              rx.call(
                      "POST",
                      "add_subject_endpoint",
                      null,
                      Map.of("stream_id", pollStreamId, "subject", "not-an-object"))
                  .statusCode())
          .isEqualTo(400);
      ledger.revoke(chainB.get(0));
      ledger.revoke(chainD.get(0));
      ledger.revoke(chainA.get(0));
      Map<String, JWTClaimsSet> followed =
          pollUntil(rx, poll, poll.get("aud").asText(), 2, List.of());
      // Read on until nothing is left in Kafka for the stream: B's and D's SETs never come.
      List<String> toAck = List.copyOf(followed.keySet());
      long drained = System.nanoTime() + 30_000_000_000L;
      JsonNode rest;
      do {
        rest = rx.poll(poll, Map.of("ack", toAck, "returnImmediately", true));
        toAck = fieldNames(rest.get("sets"));
        for (String jti : toAck) {
          followed.put(
              jti, rx.verify(rest.get("sets").get(jti).asText(), poll.get("aud").asText()));
        }
      } while ((rest.get("moreAvailable").asBoolean() || !toAck.isEmpty())
          && System.nanoTime() < drained);
      assertThat(rest.get("moreAvailable").asBoolean()).isFalse();
      assertThat(followed.values())
          .extracting(c -> (String) c.getJSONObjectClaim("sub_id").get("jti"))
          .containsExactlyInAnyOrderElementsOf(chainA);

      // A second verification, long after the first (the conformance suite's poll-and-ack): 204,
      // and its SET carries the new state.
      assertThat(
              rx.call(
                      "POST",
                      "verification_endpoint",
                      null,
                      Map.of("stream_id", pollStreamId, "state", "st-again"))
                  .statusCode())
          .isEqualTo(204);
      Map<String, JWTClaimsSet> secondVerification =
          pollUntil(rx, poll, poll.get("aud").asText(), 1, List.of());
      assertThat(SsfReceiver.event(secondVerification.values().iterator().next()))
          .containsEntry("state", "st-again");
      rx.poll(poll, Map.of("ack", List.copyOf(secondVerification.keySet()), "maxEvents", 0));

      // An operator (the admin key, not the stream's receiver) pauses the stream: the receiver
      // hears of it.
      assertThat(
              rx.send(
                      "POST",
                      rx.endpoint("status_endpoint"),
                      Map.of(
                          "stream_id", pollStreamId, "status", "paused", "reason", "maintenance"),
                      ledger.key)
                  .statusCode())
          .isEqualTo(200);
      Map<String, JWTClaimsSet> updated =
          pollUntil(rx, poll, poll.get("aud").asText(), 1, List.of());
      JWTClaimsSet streamUpdated = updated.values().iterator().next();
      assertThat(SsfReceiver.eventType(streamUpdated))
          .isEqualTo("https://schemas.openid.net/secevent/ssf/event-type/stream-updated");
      assertThat(SsfReceiver.event(streamUpdated))
          .containsEntry("status", "paused")
          .containsEntry("reason", "maintenance");
      // Answered for with setErrs (RFC 8936 section 2.4) and maxEvents 0: never handed out again.
      Map<String, Object> errs = new HashMap<>();
      updated
          .keySet()
          .forEach(jti -> errs.put(jti, Map.of("err", "invalid_request", "description", "test")));
      assertThat(rx.poll(poll, Map.of("setErrs", errs, "maxEvents", 0)).get("sets").size())
          .isZero();
      assertThat(rx.poll(poll, Map.of("returnImmediately", true)).get("sets").size()).isZero();

      // The operator's command line lists the tenant's streams and deletes one.
      String pushId = null;
      for (JsonNode s :
          SsfReceiver.JSON.readTree(rx.call("GET", "configuration_endpoint", null, null).body())) {
        if (!s.get("stream_id").asText().equals(pollStreamId)) {
          pushId = s.get("stream_id").asText();
        }
      }
      assertThat(cli(ledger, "ssf", "streams"))
          .contains(pollStreamId, "paused", "poll", pushId, "push");
      assertThat(cli(ledger, "ssf", "delete", pushId)).contains("deleted");
      // ... creates one, and polls it: a verification asked for it comes out, and --ack takes it.
      String cliStream =
          SsfReceiver.JSON
              .readTree(cli(ledger, "ssf", "create", "--description", "by the operator"))
              .get("stream_id")
              .asText();
      assertThat(
              rx.send(
                      "POST",
                      rx.endpoint("verification_endpoint"),
                      Map.of("stream_id", cliStream, "state", "cli-state"),
                      ledger.key)
                  .statusCode())
          .isEqualTo(204);
      assertThat(cli(ledger, "ssf", "poll", cliStream, "--wait", "--ack")).contains("cli-state");
      assertThat(cli(ledger, "ssf", "poll", cliStream)).doesNotContain("cli-state");
      assertThat(rx.call("GET", "configuration_endpoint", "stream_id=" + pushId, null).statusCode())
          .isEqualTo(404);

      // Disabled, with a reason, as the conformance suite sets every status.
      var disabled =
          rx.call(
              "POST",
              "status_endpoint",
              null,
              Map.of("stream_id", pollStreamId, "status", "disabled", "reason", "test over"));
      assertThat(disabled.statusCode()).isEqualTo(200);
      assertThat(SsfReceiver.JSON.readTree(disabled.body()).get("status").asText())
          .isEqualTo("disabled");

      // Delete, then 404, a second delete included.
      assertThat(
              rx.call("DELETE", "configuration_endpoint", "stream_id=" + pollStreamId, null)
                  .statusCode())
          .isEqualTo(204);
      assertThat(
              rx.call("GET", "configuration_endpoint", "stream_id=" + pollStreamId, null)
                  .statusCode())
          .isEqualTo(404);
      assertThat(
              rx.call("DELETE", "configuration_endpoint", "stream_id=" + pollStreamId, null)
                  .statusCode())
          .isEqualTo(404);
      assertThat(
              rx.send(
                      "POST",
                      poll.get("delivery").get("endpoint_url").asText(),
                      Map.of(),
                      subscriber)
                  .statusCode())
          .isEqualTo(404);
    }
  }

  /**
   * Polls (long poll), acknowledging {@code ack} first, until {@code count} SETs came; verifies
   * each.
   */
  private static Map<String, JWTClaimsSet> pollUntil(
      SsfReceiver rx, JsonNode stream, String aud, int count, List<String> ack) throws Exception {
    Map<String, JWTClaimsSet> sets = new HashMap<>();
    long deadline = System.nanoTime() + 60_000_000_000L;
    List<String> toAck = ack;
    while (sets.size() < count && System.nanoTime() < deadline) {
      JsonNode answer =
          rx.poll(stream, Map.of("ack", toAck, "returnImmediately", false, "maxEvents", 10));
      toAck = List.of();
      for (String jti : fieldNames(answer.get("sets"))) {
        sets.put(jti, rx.verify(answer.get("sets").get(jti).asText(), aud));
      }
    }
    assertThat(sets).hasSize(count);
    return sets;
  }

  /**
   * Runs {@code ledger ...} against the node with its admin key, for tenant acme; returns what it
   * printed.
   */
  private static String cli(LedgerFixture ledger, String... args) {
    java.io.StringWriter out = new java.io.StringWriter();
    picocli.CommandLine line = dev.ledger.ops.cli.LedgerCommand.commandLine();
    line.setOut(new java.io.PrintWriter(out));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of("--url", ledger.base, "--key", ledger.key, "--tenant", LedgerFixture.TENANT));
    assertThat(line.execute(all.toArray(String[]::new))).as("ledger %s: %s", all, out).isZero();
    return out.toString();
  }

  private static void awaitHealthy(LedgerFixture ledger) throws Exception {
    Awaitility.await("the restarted node healthy")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> ledger.ledgerGet("/health").statusCode() == 200);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
