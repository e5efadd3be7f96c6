package dev.ledger.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadGeneratorTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static List<String> all(WorkloadSpec spec) {
    List<String> out = new ArrayList<>();
    WorkloadGenerator.events(spec).forEach(out::add);
    return out;
  }

  @Test
  void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
    WorkloadSpec spec = WorkloadSpec.builder().trees(20).seed(7).build();
    assertThat(all(spec)).isEqualTo(all(spec));
    assertThat(all(WorkloadSpec.builder().trees(20).seed(8).build())).isNotEqualTo(all(spec));
  }

  @Test
  void treesHaveTheRequestedShapeAndEveryChildNamesAKnownParent() throws Exception {
    WorkloadSpec spec =
        WorkloadSpec.builder()
            .trees(5)
            .depth(3)
            .fanout(2)
            .usesPerToken(1)
            .revocationShare(0)
            .build();
    Set<String> tokens = new HashSet<>();
    Set<String> eventIds = new HashSet<>();
    int uses = 0;
    for (String line : all(spec)) {
      JsonNode e = JSON.readTree(line);
      assertThat(eventIds.add(e.get("event_id").asText())).isTrue();
      switch (e.get("type").asText()) {
        case "token.issued" -> tokens.add(e.at("/token/token_id").asText());
        case "token.exchanged", "token.attenuated" -> {
          assertThat(tokens).contains(e.at("/token/parent_token_id").asText());
          tokens.add(e.at("/token/token_id").asText());
        }
        case "token.used" -> {
          assertThat(tokens).contains(e.at("/use/token_id").asText());
          uses++;
        }
        default -> {}
      }
    }
    assertThat(tokens).hasSize((int) (5 * spec.tokensPerTree()));
    assertThat(spec.tokensPerTree()).isEqualTo(15);
    assertThat(uses).isEqualTo(tokens.size());
  }

  @Test
  void violationsAndRevocationsAppearInTheRequestedShare() throws Exception {
    WorkloadSpec spec =
        WorkloadSpec.builder().trees(400).violationShare(0.2).revocationShare(0.5).build();
    int revocations = 0;
    int impostors = 0;
    for (String line : all(spec)) {
      JsonNode e = JSON.readTree(line);
      if (e.get("type").asText().equals("token.revoked")) {
        revocations++;
      }
      if ("agent:impostor".equals(e.at("/use/actor").asText())) {
        impostors++;
      }
    }
    assertThat(revocations).isBetween(150, 250);
    assertThat(impostors).isPositive();
  }
}
