package dev.ledger.export.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ledger.export.testing.TestRecords;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void sortsKeysDropsWhitespaceAndEscapesLikeJcs() throws IOException {
    String in =
        "{ \"b\": [1, true, null, \"x\"], \"a\": { \"z\": \"\\u0001\\n\\\"\\\\ é € 😀\", \"y\": -3 } }";
    assertThat(CanonicalJson.string(JSON.readTree(in)))
        .isEqualTo(
            "{\"a\":{\"y\":-3,\"z\":\"\\u0001\\n\\\"\\\\ é € 😀\"},\"b\":[1,true,null,\"x\"]}");
    assertThat(CanonicalJson.string(JSON.readTree("[\"plain é\", \"ab\\\"c\\\\d\\te\\u001f\"]")))
        .as("escapes after a plain run, and a string with none")
        .isEqualTo("[\"plain é\",\"ab\\\"c\\\\d\\te\\u001f\"]");
    assertThatThrownBy(() -> CanonicalJson.string(JSON.readTree("{\"a\":1.5}")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reparsingAnExportedRecordGivesTheSameBytes() throws IOException {
    byte[] leaf = LeafData.encode("2026-11-20T10:00:00.001Z", TestRecords.json("acme", 5));
    assertThat(LeafData.encode("2026-11-20T10:00:00.001Z", JSON.readTree(leaf).get("record")))
        .isEqualTo(leaf);
    assertThat(new String(leaf, java.nio.charset.StandardCharsets.UTF_8))
        .startsWith(
            "{\"committed_at\":\"2026-11-20T10:00:00.001Z\",\"record\":{\"actor\":\"agent:fare-scraper\",\"attributes\":{");
  }

  @Test
  void theContractJsonLeavesOutAbsentFieldsOnly() {
    var issued = TestRecords.json("acme", 0);
    assertThat(issued.has("resource")).isFalse();
    assertThat(issued.get("violations").isArray()).isTrue();
    assertThat(issued.get("occurred_at").asText()).isEqualTo("2026-11-20T09:00:00Z");
    var use = TestRecords.json("acme", 3);
    assertThat(use.get("outcome").asText()).isEqualTo("denied");
    assertThat(use.get("chain").get(2).get("via").asText()).isEqualTo("attenuated");
  }
}
