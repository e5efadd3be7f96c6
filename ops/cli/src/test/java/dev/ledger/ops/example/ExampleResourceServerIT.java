package dev.ledger.ops.example;

import static dev.ledger.ops.example.LedgerFixture.fares;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.example.ExampleResourceServer;
import dev.ledger.example.ExampleSettings;
import dev.ledger.revocation.RevocationSettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The closed loop on the whole ledger as {@code ./ledger up} runs it: a depth-5 token is served,
 * its root is revoked through {@code POST /v1/events}, the example server starts refusing the
 * depth-5 token, and the ledger's audit shows both uses the example server reported.
 */
class ExampleResourceServerIT {

  static LedgerFixture ledger;

  @BeforeAll
  static void startLedger() {
    ledger = LedgerFixture.shared();
  }

  @AfterAll
  static void stopLedger() {
    if (ledger != null) {
      ledger.close();
    }
  }

  @ParameterizedTest(name = "revocations over {0}")
  @ValueSource(strings = {"kafka", "sse", "kafka-rocksdb"})
  void revokingTheRootMakesTheServerDenyTheDepth5TokenAndBothUsesReachTheAudit(String via)
      throws Exception {
    List<String> chain = ledger.postChain("it-" + via, 5);
    String root = chain.getFirst();
    String leaf = chain.getLast();
    ExampleSettings settings =
        ledger
            .exampleSettings(via.startsWith("kafka"))
            .withStore(
                via.endsWith("rocksdb")
                    ? RevocationSettings.Store.ROCKSDB
                    : RevocationSettings.Store.MEMORY);
    try (ExampleResourceServer server = ExampleResourceServer.start(settings)) {
      assertThat(server.revocations().isCaughtUp()).isTrue();

      HttpResponse<String> allowed = fares(server.port(), leaf, "agent:fare-scraper", "LHR-JFK");
      assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
      assertThat(LedgerFixture.JSON.readTree(allowed.body()).get("route").asText())
          .isEqualTo("LHR-JFK");

      // The revocation may only cascade once the chain is in the ledger's state.
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> ledger.ledgerGet("/v1/tokens/" + leaf + "?tenant=acme").statusCode() == 200);
      ledger.revoke(root);
      long acked = System.nanoTime();
      List<Integer> seen = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .until(
              () -> {
                int status =
                    fares(server.port(), leaf, "agent:fare-scraper", "LHR-JFK").statusCode();
                seen.add(status);
                return status == 403;
              });
      System.out.printf(
          "ExampleResourceServerIT %s: first 403 %d ms after the revocation was acknowledged%n",
          via, (System.nanoTime() - acked) / 1_000_000);
      assertThat(seen).allMatch(s -> s == 200 || s == 403);
      HttpResponse<String> denied = fares(server.port(), leaf, "agent:fare-scraper", "LHR-JFK");
      assertThat(denied.statusCode()).isEqualTo(403);
      assertThat(LedgerFixture.JSON.readTree(denied.body()).get("error").asText())
          .contains("revoked", "through the revocation of " + root);

      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                List<JsonNode> uses = new ArrayList<>();
                ledger
                    .audit(leaf)
                    .forEach(
                        r -> {
                          if ("token.used".equals(r.path("type").asText())) {
                            uses.add(r);
                          }
                        });
                assertThat(uses)
                    .extracting(r -> r.path("outcome").asText())
                    .contains("allowed", "denied");
                assertThat(uses)
                    .allSatisfy(
                        r -> {
                          assertThat(r.path("resource").asText()).isEqualTo(LedgerFixture.AUDIENCE);
                          assertThat(r.path("action").asText())
                              .isEqualTo("GET /fares?route=LHR-JFK");
                          assertThat(r.path("actor").asText()).isEqualTo("agent:fare-scraper");
                        });
              });
      assertThat(server.reporter().lost()).isZero();
    }
  }
}
