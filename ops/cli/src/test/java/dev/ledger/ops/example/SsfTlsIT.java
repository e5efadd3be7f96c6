package dev.ledger.ops.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.api.auth.Role;
import dev.ledger.api.tls.ServerTls;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger serving HTTPS with the self-signed certificate it creates on first start: an SSF
 * receiver that trusts that certificate (and nothing else) discovers an {@code https://} issuer and
 * endpoints and gets a signed SET over real TLS; a client that does not trust it is refused. Push
 * delivery trusts a receiver's self-signed certificate named in {@code ssf.push.trust}, and refuses
 * another one. With a short {@code ssf.inactivity.timeout}, an idle stream is paused and told so;
 * its receiver's calls keep it enabled.
 */
class SsfTlsIT {
  @TempDir Path data;

  @Test
  void aReceiverFollowsTheTransmitterOverTlsWithTheSelfSignedCertificate() throws Exception {
    ApiKeyStore keys = ApiKeyStore.open(data.resolve("keys.json"));
    String subscriber = keys.create(Role.subscriber, LedgerFixture.TENANT, "ssf receiver").secret();
    // Two push receivers with self-signed certificates of their own; the ledger trusts the first.
    List<String> pushedOverTls = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger untrustedCalls = new AtomicInteger();
    HttpsServer trustedReceiver =
        httpsReceiver(
            data.resolve("rx-trusted"),
            body -> pushedOverTls.add(new String(body, StandardCharsets.UTF_8)));
    HttpsServer untrustedReceiver =
        httpsReceiver(data.resolve("rx-untrusted"), body -> untrustedCalls.incrementAndGet());
    Map<String, String> settings =
        Map.of(
            "http.tls",
            "self-signed",
            "ssf.push.trust",
            data.resolve("rx-trusted").resolve(ServerTls.SELF_SIGNED_CERTIFICATE).toString(),
            "ssf.inactivity.timeout",
            "2s");
    try (LedgerFixture ledger = LedgerFixture.start(data, settings)) {
      assertThat(ledger.base).startsWith("https://");
      Path p12 = data.resolve(ServerTls.SELF_SIGNED_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p12)))
          .isEqualTo("rw-------");

      // A client with only the default trust anchors refuses the self-signed certificate.
      SsfReceiver stranger = new SsfReceiver(ledger.base, subscriber);
      assertThatThrownBy(stranger::discover).isInstanceOf(SSLHandshakeException.class);

      SsfReceiver rx =
          new SsfReceiver(
              ledger.base, subscriber, trusting(data.resolve(ServerTls.SELF_SIGNED_CERTIFICATE)));
      JsonNode discovery = rx.discover();
      assertThat(discovery.get("issuer").asText()).isEqualTo(ledger.base);
      // The CAEP interoperability profile wants TLS 1.2 or later, RFC 9325 prefers 1.3.
      assertThat(
              rx.send("GET", ledger.base + "/.well-known/ssf-configuration", null, null)
                  .sslSession()
                  .orElseThrow()
                  .getProtocol())
          .isEqualTo("TLSv1.3");
      for (String e :
          List.of(
              "jwks_uri",
              "configuration_endpoint",
              "status_endpoint",
              "add_subject_endpoint",
              "remove_subject_endpoint",
              "verification_endpoint")) {
        assertThat(discovery.get(e).asText()).startsWith("https://");
      }
      assertThat(rx.keys.getKeys()).hasSize(1);

      JsonNode stream = rx.createStream(Map.of("description", "over tls"));
      assertThat(stream.get("delivery").get("endpoint_url").asText()).startsWith("https://");
      assertThat(
              rx.call(
                      "POST",
                      "verification_endpoint",
                      null,
                      Map.of("stream_id", stream.get("stream_id").asText(), "state", "tls-1"))
                  .statusCode())
          .isEqualTo(204);
      JsonNode answer = rx.poll(stream, Map.of("returnImmediately", false, "maxEvents", 10));
      List<String> jtis = new ArrayList<>();
      answer.get("sets").fieldNames().forEachRemaining(jtis::add);
      assertThat(jtis).hasSize(1);
      JWTClaimsSet set =
          rx.verify(answer.get("sets").get(jtis.getFirst()).asText(), stream.get("aud").asText());
      assertThat(set.getIssuer()).isEqualTo(ledger.base);
      assertThat(SsfReceiver.event(set)).containsEntry("state", "tls-1");

      // Push to receivers with self-signed certificates: the one in ssf.push.trust gets its
      // verification SET over TLS; the other one's certificate is refused, which its stream's
      // status shows.
      JsonNode trusted = rx.createStream(pushTo(trustedReceiver));
      JsonNode untrusted = rx.createStream(pushTo(untrustedReceiver));
      for (JsonNode s : List.of(trusted, untrusted)) {
        assertThat(
                rx.call(
                        "POST",
                        "verification_endpoint",
                        null,
                        Map.of("stream_id", s.get("stream_id").asText(), "state", "pushed-tls"))
                    .statusCode())
            .isEqualTo(204);
      }
      await(() -> !pushedOverTls.isEmpty(), "a SET pushed to the trusted receiver");
      JWTClaimsSet pushedSet = rx.verify(pushedOverTls.getFirst(), trusted.get("aud").asText());
      assertThat(SsfReceiver.eventType(pushedSet)).endsWith("/verification");
      assertThat(SsfReceiver.event(pushedSet)).containsEntry("state", "pushed-tls");
      String untrustedStatus = "stream_id=" + untrusted.get("stream_id").asText();
      await(
          () -> body(rx, "status_endpoint", untrustedStatus).contains("last_error"),
          "the untrusted receiver's failure in the status");
      assertThat(body(rx, "status_endpoint", untrustedStatus)).contains("SSLHandshakeException");
      assertThat(untrustedCalls.get()).isZero();
      rx.call("DELETE", "configuration_endpoint", untrustedStatus, null);

      // Inactivity (ssf.inactivity.timeout is 2 s here): a stream whose receiver makes no call
      // is paused, and the receiver hears of it with a stream-updated SET. The operator's status
      // calls (the admin key, not the receiver) are no receiver activity.
      String pollQuery = "stream_id=" + stream.get("stream_id").asText();
      await(
          () -> statusAsOperator(ledger, rx, pollQuery).equals("paused"), "the idle stream paused");
      Map<String, Object> updated = null;
      List<String> ack = jtis;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (updated == null && System.nanoTime() < deadline) {
        JsonNode got =
            rx.poll(stream, Map.of("ack", ack, "returnImmediately", false, "maxEvents", 10));
        ack = new ArrayList<>();
        for (String jti : fieldNames(got.get("sets"))) {
          ack.add(jti);
          JWTClaimsSet c = rx.verify(got.get("sets").get(jti).asText(), stream.get("aud").asText());
          if (SsfReceiver.eventType(c).endsWith("/stream-updated")) {
            updated = SsfReceiver.event(c);
          }
        }
      }
      assertThat(updated).isNotNull().containsEntry("status", "paused");
      assertThat(updated.get("reason").toString()).startsWith("inactivity_timeout");
      // Enabled again, and kept active by its receiver's calls for twice the timeout, it stays
      // enabled; once the receiver falls silent, it is paused again.
      assertThat(
              rx.call(
                      "POST",
                      "status_endpoint",
                      null,
                      Map.of("stream_id", stream.get("stream_id").asText(), "status", "enabled"))
                  .statusCode())
          .isEqualTo(200);
      // Staying enabled is an absence (of a pause) with no event to wait for, so it must hold for
      // a bounded while; each poll is also the receiver's call that keeps the stream active.
      Awaitility.await("the stream stays enabled while its receiver calls")
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(6))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> body(rx, "status_endpoint", pollQuery).contains("\"enabled\""));
      await(
          () -> statusAsOperator(ledger, rx, pollQuery).equals("paused"),
          "the stream paused again once its receiver fell silent");
    } finally {
      trustedReceiver.stop(0);
      untrustedReceiver.stop(0);
    }
  }

  /**
   * A push receiver over HTTPS with a self-signed certificate for 127.0.0.1 made in {@code dir}
   * (its PEM beside it); it hands each body to {@code onSet} and answers 202.
   */
  private static HttpsServer httpsReceiver(Path dir, Consumer<byte[]> onSet) throws Exception {
    ServerTls tls = ServerTls.selfSigned(dir, "127.0.0.1");
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(tls.keyStore(), tls.password());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext(
        "/events",
        exchange -> {
          onSet.accept(exchange.getRequestBody().readAllBytes());
          exchange.sendResponseHeaders(202, -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  private static Map<String, Object> pushTo(HttpsServer receiver) {
    return Map.of(
        "delivery",
        Map.of(
            "method",
            "urn:ietf:rfc:8935",
            "endpoint_url",
            "https://127.0.0.1:" + receiver.getAddress().getPort() + "/events"));
  }

  /** The stream's status as the operator (the admin key) reads it: no activity of its receiver. */
  private static String statusAsOperator(LedgerFixture ledger, SsfReceiver rx, String query) {
    try {
      return SsfReceiver.JSON
          .readTree(
              rx.send("GET", rx.endpoint("status_endpoint") + "?" + query, null, ledger.key).body())
          .path("status")
          .asText();
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

  private static void await(BooleanSupplier condition, String what) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(condition::getAsBoolean);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** An HTTP client that trusts exactly the certificate in {@code pem}. */
  private static HttpClient trusting(Path pem) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      trust.setCertificateEntry(
          "ledger", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(tls).build();
  }
}
