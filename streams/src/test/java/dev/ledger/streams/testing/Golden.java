package dev.ledger.streams.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.TokenNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Checks a TokenNode against every field of the contract's token-response.json. */
public final class Golden {

  private Golden() {}

  public static void assertMatches(TokenNode node, String context) {
    JsonNode expected = Events.tokenResponse();
    assertThat(node).as(context + ": token present").isNotNull();
    assertThat(node.getTokenId()).as(context).isEqualTo(expected.get("token_id").asText());
    assertThat(node.getParentId()).as(context).isEqualTo(expected.get("parent_id").asText());
    assertThat(node.getRootId()).as(context).isEqualTo(expected.get("root_id").asText());
    assertThat(node.getDepth()).as(context).isEqualTo(expected.get("depth").asInt());
    assertThat(node.getPrincipal()).as(context).isEqualTo(expected.get("principal").asText());
    assertThat(node.getActor()).as(context).isEqualTo(expected.get("actor").asText());
    List<String> chain = new ArrayList<>();
    expected
        .get("chain")
        .forEach(
            h ->
                chain.add(
                    h.get("token_id").asText()
                        + "|"
                        + h.get("actor").asText()
                        + "|"
                        + h.get("via").asText()));
    assertThat(node.getChain().stream().map(Golden::hop).toList()).as(context).isEqualTo(chain);
    assertThat(node.getScopes()).as(context).isEqualTo(texts(expected.get("scopes")));
    assertThat(node.getAudience()).as(context).isEqualTo(texts(expected.get("audience")));
    assertThat(node.getExpiresAt())
        .as(context)
        .isEqualTo(Instant.parse(expected.get("expires_at").asText()));
    assertThat(node.getMaxUses()).as(context).isEqualTo(expected.get("max_uses").asLong());
    assertThat(node.getUses()).as(context).isEqualTo(expected.get("uses").asLong());
    assertThat(node.getStatus().name()).as(context).isEqualTo(expected.get("status").asText());
    assertThat(node.getRevokedAt())
        .as(context)
        .isEqualTo(Instant.parse(expected.get("revoked_at").asText()));
    assertThat(node.getRevocationCause())
        .as(context)
        .isEqualTo(expected.get("revocation_cause").asText());
    assertThat(node.getViolations().stream().map(Enum::name).toList())
        .as(context)
        .isEqualTo(texts(expected.get("violations")));
  }

  private static String hop(Hop hop) {
    return hop.getTokenId() + "|" + hop.getActor() + "|" + hop.getVia();
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
