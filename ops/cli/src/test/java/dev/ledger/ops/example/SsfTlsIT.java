package dev.ledger.ops.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.ledger.api.auth.ApiKeyStore;
import dev.ledger.api.auth.Role;
import dev.ledger.api.tls.ServerTls;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger serving HTTPS with the self-signed certificate it creates on first start: an SSF
 * receiver that trusts that certificate (and nothing else) discovers an {@code https://} issuer and
 * endpoints and gets a signed SET over real TLS; a client that does not trust it is refused.
 */
class SsfTlsIT {
  @TempDir Path data;

  @Test
  void aReceiverFollowsTheTransmitterOverTlsWithTheSelfSignedCertificate() throws Exception {
    ApiKeyStore keys = ApiKeyStore.open(data.resolve("keys.json"));
    String subscriber = keys.create(Role.subscriber, LedgerFixture.TENANT, "ssf receiver").secret();
    try (LedgerFixture ledger = LedgerFixture.start(data, Map.of("http.tls", "self-signed"))) {
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
    }
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
