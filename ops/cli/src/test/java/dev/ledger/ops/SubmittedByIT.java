package dev.ledger.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.testkit.Examples;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "Who reported this", end to end as {@code ledger up} runs: keys made with {@code ledger keys
 * create --permissions} and {@code --role}, events posted with them, and the audit trail answering
 * by credential.
 */
class SubmittedByIT {

  static final ObjectMapper JSON = new ObjectMapper();

  /** Its own tenant on the shared node. */
  private static final String TENANT = "submitted-by";

  @Test
  void theAuditRecordOfAPostedEventNamesTheKeyThatPostedItAndIsFoundByIt() throws Exception {
    List<String> quickstart =
        Examples.quickstartNdjson()
            .strip()
            .replace("\"tenant\":\"acme\"", "\"tenant\":\"" + TENANT + "\"")
            .lines()
            .toList();
    String base = SharedNode.base();
    String admin = SharedNode.adminKey();
    String dataDir = "--data-dir=" + SharedNode.data();
    String resourceServer =
        UpIT.cli(
                "keys",
                dataDir,
                "create",
                "--permissions",
                "events:use,read:revocations",
                "--tenant",
                TENANT,
                "--label",
                "fares api")
            .strip();
    String producer =
        UpIT.cli("keys", dataDir, "create", "--role", "producer", "--tenant", TENANT).strip();
    assertThat(UpIT.cli("keys", dataDir, "list"))
        .contains(keyId(resourceServer) + " ", "events:use,read:revocations", "fares api")
        .contains(keyId(producer) + " ", "producer");
    UpIT.cliExit(
        1, "keys", dataDir, "create", "--permissions", "events:use,events:fly", "--tenant", TENANT);

    // The producer reports the chain, the resource server its use; the resource server may not
    // revoke.
    assertThat(post(base, producer, String.join("\n", quickstart.subList(0, 3))).statusCode())
        .isEqualTo(202);
    assertThat(post(base, resourceServer, quickstart.get(3)).statusCode()).isEqualTo(202);
    HttpResponse<String> revocation = post(base, resourceServer, quickstart.get(4));
    assertThat(revocation.statusCode()).as(revocation.body()).isEqualTo(403);
    assertThat(revocation.body()).contains("events:revoke");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              JsonNode uses = audit(base, admin, keyId(resourceServer));
              assertThat(uses)
                  .extracting(r -> r.get("event_id").asText())
                  .containsExactly("ev-004");
              assertThat(uses.get(0).get("submitted_by").asText()).isEqualTo(keyId(resourceServer));
              assertThat(audit(base, admin, keyId(producer)))
                  .extracting(r -> r.get("event_id").asText())
                  .containsExactlyInAnyOrder("ev-001", "ev-002", "ev-003");
            });
  }

  /** The public id of a key {@code ldg_<id>_<secret>}. */
  private static String keyId(String key) {
    return key.substring(4, key.indexOf('_', 4));
  }

  private static HttpResponse<String> post(String base, String key, String ndjson)
      throws Exception {
    return UpIT.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/events"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofString(ndjson)));
  }

  private static JsonNode audit(String base, String key, String submittedBy) throws Exception {
    HttpResponse<String> r =
        UpIT.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/v1/audit?tenant="
                            + TENANT
                            + "&submitted_by="
                            + URLEncoder.encode(submittedBy, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + key));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body()).get("items");
  }
}
