package dev.ledger.ops;

import static dev.ledger.ops.UpIT.JSON;
import static dev.ledger.ops.UpIT.cli;
import static dev.ledger.ops.UpIT.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.export.ProgressListener;
import dev.ledger.export.VerificationReport;
import dev.ledger.export.Verifier;
import dev.ledger.export.sign.NotaryKey;
import dev.ledger.export.sign.PublicKeys;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 end to end, on the whole ledger as {@code ledger up} runs it (embedded broker, streams,
 * indexer, notary, HTTP API): t2 with {@code max_uses: 2} used at :20, :21, :22, its child t3 at
 * :23 and :25, its grandchild t4 at :40, posted in event-time order under one tenant and latest use
 * first under another. {@code GET /v1/audit?violation=usage_limit_exceeded} answers the same uses
 * (the third by event time and every later one) with the same verdicts, the second tenant's answer
 * also says which were amended and what they were first recorded as, and each tenant's export
 * verifies and folds to the same verdicts.
 */
class AmendmentsUpIT {

  private static final String T = "2026-11-20T09:00:";

  @TempDir Path tmp;

  private static List<String> tokens(String tenant) {
    return List.of(
        event(
            tenant,
            "ev-t1",
            "token.issued",
            "00",
            "token",
            "{\"token_id\":\"t1\",\"issuer\":\"https://as.example\","
                + "\"subject\":\"user:dana\",\"actor\":\"agent:planner\",\"audience\":[\"https://api.example\"],\"scopes\":[\"read\"]}"),
        event(
            tenant,
            "ev-t2",
            "token.exchanged",
            "01",
            "token",
            "{\"token_id\":\"t2\",\"parent_token_id\":\"t1\","
                + "\"issuer\":\"https://as.example\",\"actor\":\"agent:searcher\",\"audience\":[\"https://api.example\"],"
                + "\"scopes\":[\"read\"],\"max_uses\":2}"),
        event(
            tenant,
            "ev-t3",
            "token.attenuated",
            "02",
            "token",
            "{\"token_id\":\"t3\",\"parent_token_id\":\"t2\",\"actor\":\"agent:scraper\"}"),
        event(
            tenant,
            "ev-t4",
            "token.attenuated",
            "03",
            "token",
            "{\"token_id\":\"t4\",\"parent_token_id\":\"t3\",\"actor\":\"agent:fetcher\"}"));
  }

  /** u1..u6 in event-time order. */
  private static List<String> uses(String tenant) {
    String[][] uses = {
      {"u1", "t2", "20"},
      {"u2", "t2", "21"},
      {"u3", "t2", "22"},
      {"u4", "t3", "23"},
      {"u5", "t3", "25"},
      {"u6", "t4", "40"}
    };
    List<String> out = new ArrayList<>();
    for (String[] u : uses) {
      out.add(
          event(
              tenant,
              u[0],
              "token.used",
              u[2],
              "use",
              "{\"token_id\":\""
                  + u[1]
                  + "\",\"resource\":\"https://api.example\",\"action\":\"GET /data\",\"outcome\":\"allowed\"}"));
    }
    return out;
  }

  private static String event(
      String tenant, String id, String type, String second, String body, String bodyJson) {
    return "{\"event_id\":\""
        + id
        + "\",\"type\":\""
        + type
        + "\",\"occurred_at\":\""
        + T
        + second
        + "Z\",\"tenant\":\""
        + tenant
        + "\",\""
        + body
        + "\":"
        + bodyJson
        + "}";
  }

  @Test
  void theSameUsesAreFlaggedInEveryArrivalOrderInTheApiAndInTheExports() throws Exception {
    // On the shared node: the tenants in-order and latest-first are this test's alone.
    Path data = SharedNode.data();
    String key = SharedNode.adminKey();
    String base = SharedNode.base();
    Api api = new Api(base, key);

    // Each tenant gets the tokens, then one use at a time, each only once the one before is
    // audited, so the stream processor sees them in exactly this order: in event-time order
    // under one tenant, latest use first (u6 .. u1) under the other.
    List<String> latestFirst = new ArrayList<>(uses("latest-first"));
    java.util.Collections.reverse(latestFirst);
    api.postOneByOne("in-order", tokens("in-order"), uses("in-order"));
    api.postOneByOne("latest-first", tokens("latest-first"), latestFirst);

    Map<String, JsonNode> a = new TreeMap<>();
    Map<String, JsonNode> b = new TreeMap<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              a.clear();
              b.clear();
              api.audit("in-order", "violation=usage_limit_exceeded")
                  .forEach(r -> a.put(r.get("event_id").asText(), r));
              api.audit("latest-first", "violation=usage_limit_exceeded")
                  .forEach(r -> b.put(r.get("event_id").asText(), r));
              assertThat(a.keySet()).containsExactly("u3", "u4", "u5", "u6");
              assertThat(b.keySet()).containsExactly("u3", "u4", "u5", "u6");
            });
    for (String id : a.keySet()) {
      assertThat(verdict(b.get(id))).as(id).isEqualTo(verdict(a.get(id)));
      assertThat(a.get(id).get("amended_at").isNull()).as(id + " in order: judged once").isTrue();
      assertThat(a.get(id).get("recorded_violations")).isEqualTo(a.get(id).get("violations"));
    }
    // Latest first, u6, u5, u4 and u3 were each within the budget when they arrived, and were
    // pushed out of it by an earlier use that arrived after them.
    for (String id : List.of("u3", "u4", "u5", "u6")) {
      JsonNode r = b.get(id);
      assertThat(r.get("recorded_violations")).as(id).isEmpty();
      assertThat(r.get("amended_at").isTextual()).as(id).isTrue();
      assertThat(r.get("amendment").get("added").toString())
          .as(id)
          .isEqualTo("[\"usage_limit_exceeded\"]");
      assertThat(r.get("amendment").get("cause_event_id").asText())
          .as(id)
          .isIn("u1", "u2", "u3", "u4");
    }
    assertThat(api.audit("latest-first", "token=t2&violation=usage_limit_exceeded"))
        .extracting(r -> r.get("event_id").asText())
        .containsExactly("u3");

    // The exports: append-only logs, amendments as their own leaves; each verifies, and folded
    // they give the same verdict now; the records as first written stay as they were.
    Map<String, Map<String, List<String>>> folded = new TreeMap<>();
    for (String tenant : List.of("in-order", "latest-first")) {
      int leaves = tenant.equals("in-order") ? 10 : 14;
      Path file = tmp.resolve(tenant + ".ndjson");
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                HttpResponse<String> export = api.get("/v1/exports?tenant=" + tenant);
                assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
                Files.writeString(file, export.body());
                assertThat(records(file)).as(tenant).hasSize(leaves);
              });
      cli("verify", file.toString(), "--data-dir", data.toString()); // exit code 0: it verifies
      VerificationReport report =
          Verifier.verify(
              file,
              PublicKeys.read(data.resolve(NotaryKey.PUBLIC_PEM_FILE)),
              null,
              ProgressListener.NONE);
      assertThat(report.ok()).as(report.lines().toString()).isTrue();
      assertThat(report.records()).isEqualTo(leaves);
      folded.put(tenant, fold(records(file)));
      List<JsonNode> amendments = records(file).stream().filter(r -> r.has("amends")).toList();
      assertThat(amendments).as(tenant).hasSize(leaves - 10);
      if (!amendments.isEmpty()) {
        HttpResponse<String> csv = api.get("/v1/exports?tenant=" + tenant + "&format=csv");
        assertThat(csv.body().lines().findFirst().orElseThrow()).endsWith(",amends");
        assertThat(csv.body()).contains("usage_limit_exceeded");
        HttpResponse<String> ocsf = api.get("/v1/exports?tenant=" + tenant + "&format=ocsf");
        assertThat(ocsf.body()).contains("\"amends_event_id\":\"u6\"");
      }
    }
    assertThat(folded.get("latest-first")).isEqualTo(folded.get("in-order"));
    assertThat(folded.get("in-order"))
        .containsEntry("u3", List.of("usage_limit_exceeded"))
        .containsEntry("u2", List.of());
  }

  /** The answer's verdict now and the fields that do not depend on arrival order. */
  private static JsonNode verdict(JsonNode record) {
    ObjectNode out = JSON.createObjectNode();
    for (String field :
        List.of(
            "event_id",
            "type",
            "occurred_at",
            "token_id",
            "principal",
            "chain",
            "resource",
            "action",
            "outcome",
            "violations")) {
      out.set(field, record.get(field));
    }
    return out;
  }

  /** The record objects of an NDJSON export, in leaf order. */
  private static List<JsonNode> records(Path export) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(export)) {
      JsonNode json = JSON.readTree(line);
      if (json.has("record")) {
        out.add(json.get("record"));
      }
    }
    return out;
  }

  /**
   * As docs/exports.md tells an export reader: each event's record, with its amendments applied in
   * leaf order.
   */
  private static Map<String, List<String>> fold(List<JsonNode> records) {
    Map<String, TreeSet<String>> now = new TreeMap<>();
    for (JsonNode r : records) {
      String id = r.get("event_id").asText();
      if (!r.has("amends")) {
        TreeSet<String> kinds = new TreeSet<>();
        r.get("violations").forEach(v -> kinds.add(v.asText()));
        now.put(id, kinds);
      } else {
        r.get("amends").get("added").forEach(v -> now.get(id).add(v.asText()));
        r.get("amends").get("removed").forEach(v -> now.get(id).remove(v.asText()));
      }
    }
    Map<String, List<String>> out = new TreeMap<>();
    now.forEach((id, kinds) -> out.put(id, List.copyOf(kinds)));
    return out;
  }

  private record Api(String base, String key) {
    void post(String ndjson) throws Exception {
      HttpResponse<String> r =
          send(
              HttpRequest.newBuilder(URI.create(base + "/v1/events"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/x-ndjson")
                  .POST(HttpRequest.BodyPublishers.ofString(ndjson)));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    /**
     * Posts the tokens, waits until the last one is resolved, then posts each use once the one
     * before is audited.
     */
    void postOneByOne(String tenant, List<String> tokens, List<String> uses) throws Exception {
      post(String.join("\n", tokens));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                HttpResponse<String> t4 = get("/v1/tokens/t4?tenant=" + tenant);
                assertThat(t4.statusCode()).as(t4.body()).isEqualTo(200);
                assertThat(JSON.readTree(t4.body()).get("status").asText()).isEqualTo("active");
              });
      for (String use : uses) {
        post(use);
        String id = JSON.readTree(use).get("event_id").asText();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .untilAsserted(() -> assertThat(audit(tenant, "q=event_id:" + id)).hasSize(1));
      }
    }

    HttpResponse<String> get(String path) throws Exception {
      return send(
          HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + key));
    }

    List<JsonNode> audit(String tenant, String query) throws Exception {
      String encoded = query.replace(":", URLEncoder.encode(":", StandardCharsets.UTF_8));
      HttpResponse<String> r = get("/v1/audit?tenant=" + tenant + "&limit=100&" + encoded);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      List<JsonNode> items = new ArrayList<>();
      JSON.readTree(r.body()).get("items").forEach(items::add);
      return items;
    }
  }
}
