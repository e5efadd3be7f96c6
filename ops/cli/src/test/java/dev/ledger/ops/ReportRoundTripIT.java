package dev.ledger.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import biscuit.format.schema.Schema;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.ingest.adapter.TxnTokenAdapter;
import dev.ledger.ops.cli.ReportCommand;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.biscuitsec.biscuit.crypto.PublicKey;
import org.biscuitsec.biscuit.token.Biscuit;
import org.biscuitsec.biscuit.token.RevocationIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real tokens (a Biscuit, a macaroon with a discharge, three Transaction Tokens of one transaction)
 * through the whole ledger as {@code ledger up} runs it: reported with {@code ledger report}, their
 * chain shown by {@code ledger token}, a middle hop revoked with {@code ledger revoke}, and every
 * later hop revoked with it while the hops before stay active.
 */
class ReportRoundTripIT {

  /** Its own tenant on the shared node. */
  private static final String TENANT = "report-round-trip";

  @TempDir Path tmp;

  @Test
  void
      aForeignBiscuitAMacaroonAndTxnTokensReportAsTheirChainsAndRevokingAMiddleHopRevokesTheLaterOnes()
          throws Exception {
    // The walk-through's token: rights on files and nothing about who holds them, then two blocks.
    ReportCommand.DemoBiscuit demo = ReportCommand.mintDemoBiscuit(tmp.resolve("demo"));
    String rootKey = Files.readString(demo.rootKey()).strip();
    Biscuit token =
        Biscuit.from_bytes(
            Files.readAllBytes(demo.token()),
            new PublicKey(
                Schema.PublicKey.Algorithm.Ed25519, rootKey.substring("ed25519/".length())));
    Path file = demo.token();
    List<String> ids =
        token.revocation_identifiers().stream()
            .map(RevocationIdentifier::toHex)
            .map(String::toLowerCase)
            .toList();
    assertThat(ids).hasSize(3);

    String key = SharedNode.adminKey();
    String[] api = {"--tenant", TENANT, "--url", SharedNode.base(), "--key", key};
    String reported =
        UpIT.cli(
            with(
                api,
                "report",
                "biscuit",
                "--public-key",
                rootKey,
                "--subject",
                "user:dana",
                "--audience",
                "https://files.example",
                "--file",
                file.toString()));
    assertThat(reported).contains("accepted 3");

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode last = token(api, ids.get(2));
              assertThat(last.path("status").asText()).isEqualTo("active");
              assertThat(last.path("chain"))
                  .extracting(h -> h.path("token_id").asText())
                  .containsExactlyElementsOf(ids);
              assertThat(last.path("principal").asText()).isEqualTo("user:dana");
              assertThat(last.path("actor").asText()).isEqualTo("agent:indexer");
            });
    assertThat(UpIT.cli(with(api, "token", ids.get(2))))
        .contains("on behalf of user:dana", "held by agent:indexer  (attenuated)");

    UpIT.cli(with(api, "revoke", ids.get(1), "--reason", "leaked"));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode last = token(api, ids.get(2));
              assertThat(last.path("status").asText()).isEqualTo("revoked");
              assertThat(last.path("revocation_cause").asText()).isEqualTo(ids.get(1));
              assertThat(token(api, ids.get(1)).path("status").asText()).isEqualTo("revoked");
              assertThat(token(api, ids.get(0)).path("status").asText()).isEqualTo("active");
            });

    // A macaroon with a first-party caveat naming its holder and a third-party caveat, with its
    // discharge.
    ReportCommand.DemoMacaroon macaroon = ReportCommand.mintDemoMacaroon(tmp.resolve("demo"));
    String[] report =
        with(
            api,
            "report",
            "macaroon",
            "--root-key",
            "@" + macaroon.rootKey(),
            "--discharge",
            "@" + macaroon.discharge(),
            "--subject",
            "user:dana",
            "--audience",
            "https://files.example",
            "@" + macaroon.token());
    List<String> hops =
        ReportCommand.macaroonEvents(
                Files.readString(macaroon.token()),
                List.of(Files.readString(macaroon.discharge())),
                dev.ledger.ingest.adapter.MacaroonAdapter.structureOnly(),
                TENANT)
            .build()
            .stream()
            .map(e -> e.getToken().getTokenId())
            .toList();
    assertThat(hops).hasSize(5);
    assertThat(UpIT.cli(report)).contains("accepted 5");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode discharge = token(api, hops.get(4));
              assertThat(discharge.path("status").asText()).isEqualTo("active");
              assertThat(discharge.path("chain"))
                  .extracting(h -> h.path("token_id").asText())
                  .containsExactlyElementsOf(hops);
              assertThat(discharge.path("principal").asText()).isEqualTo("user:dana");
              assertThat(discharge.path("actor").asText()).isEqualTo("agent:indexer");
            });
    assertThat(UpIT.cli(with(api, "token", hops.get(4))))
        .contains("on behalf of user:dana", "held by agent:indexer  (attenuated)");
    UpIT.cli(with(api, "revoke", hops.get(2)));
    awaitRevokedFrom(api, hops, 2);

    // Three Transaction Tokens of one transaction: the first, a replacement the reporter names,
    // and a
    // replacement of that which names it itself; each used in its own service.
    ReportCommand.DemoTxnTokens txn =
        ReportCommand.mintDemoTxnTokens(
            tmp.resolve("demo"), java.time.Instant.now(), "txn-round-trip");
    List<String> txnHops = new ArrayList<>();
    for (Path t : List.of(txn.token(), txn.replacement(), txn.secondReplacement())) {
      txnHops.add(TxnTokenAdapter.tokenId(Files.readString(t)));
    }
    assertThat(
            UpIT.cli(
                with(
                    api,
                    "report",
                    "txn-token",
                    "--jwks",
                    txn.jwks().toString(),
                    "@" + txn.token())))
        .contains("accepted 1");
    assertThat(
            UpIT.cli(
                with(
                    api,
                    "report",
                    "txn-token",
                    "--jwks",
                    txn.jwks().toString(),
                    "--replaces",
                    txnHops.get(0),
                    "--file",
                    txn.replacement().toString())))
        .contains("accepted 1");
    assertThat(
            UpIT.cli(
                with(
                    api,
                    "report",
                    "txn-token",
                    "--jwks",
                    txn.jwks().toString(),
                    "@" + txn.secondReplacement())))
        .contains("accepted 1");
    List<String> services =
        List.of("https://orders.example", "https://payments.example", "https://receipts.example");
    StringBuilder uses = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      uses.append(
              UpIT.JSON.writeValueAsString(
                  java.util.Map.of(
                      "event_id",
                      "use-txn-" + i,
                      "type",
                      "token.used",
                      "occurred_at",
                      java.time.Instant.now().toString(),
                      "tenant",
                      TENANT,
                      "use",
                      java.util.Map.of(
                          "token_id",
                          txnHops.get(i),
                          "resource",
                          services.get(i),
                          "action",
                          "POST /checkout",
                          "outcome",
                          "allowed"))))
          .append('\n');
    }
    HttpResponse<String> posted =
        UpIT.send(
            HttpRequest.newBuilder(URI.create(api[3] + "/v1/events"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(uses.toString())));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              JsonNode last = token(api, txnHops.get(2));
              assertThat(last.path("chain"))
                  .extracting(h -> h.path("token_id").asText())
                  .containsExactlyElementsOf(txnHops);
              assertThat(last.path("principal").asText()).isEqualTo("user:dana");
              List<JsonNode> found = new ArrayList<>();
              for (String line :
                  UpIT.cli(
                          with(
                              api,
                              "audit",
                              "--txn",
                              "txn-round-trip",
                              "--type",
                              "token.used",
                              "--json"))
                      .strip()
                      .split("\n")) {
                found.add(UpIT.JSON.readTree(line));
              }
              assertThat(found)
                  .extracting(r -> r.path("resource").asText())
                  .containsExactlyInAnyOrderElementsOf(services);
              assertThat(found)
                  .extracting(r -> r.path("acti").asText())
                  .containsOnly("wf-checkout");
            });
    assertThat(UpIT.cli(with(api, "token", txnHops.get(2))))
        .contains("on behalf of user:dana", "held by svc:receipts  (exchanged)");
    UpIT.cli(with(api, "revoke", txnHops.get(1)));
    awaitRevokedFrom(api, txnHops, 1);
  }

  /** The API's answer for a token (read over HTTP: the CLI's --json output is for people). */
  /**
   * Waits until the hops before {@code first} are still active and it and every later hop are
   * revoked, the last one because of it.
   */
  private static void awaitRevokedFrom(String[] api, List<String> hops, int first) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (int i = 0; i < hops.size(); i++) {
                assertThat(token(api, hops.get(i)).path("status").asText())
                    .as("hop " + i)
                    .isEqualTo(i < first ? "active" : "revoked");
              }
              assertThat(token(api, hops.getLast()).path("revocation_cause").asText())
                  .isEqualTo(hops.get(first));
            });
  }

  private static JsonNode token(String[] api, String id) throws Exception {
    HttpResponse<String> answer =
        UpIT.send(
            HttpRequest.newBuilder(URI.create(api[3] + "/v1/tokens/" + id + "?tenant=" + TENANT))
                .header("Authorization", "Bearer " + api[5]));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return UpIT.JSON.readTree(answer.body());
  }

  private static String[] with(String[] api, String... command) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of(api));
    return args.toArray(String[]::new);
  }
}
