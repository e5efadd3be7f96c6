package dev.ledger.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Producer-controlled text reaches the terminal with every escape sequence and control made
 * visible.
 */
class RenderTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Sets the terminal title, clears the screen, moves back over the line, flips the text direction.
   */
  private static final String HOSTILE =
      "agent\u001b]0;pwned\u0007\u001b[2J\r\bx\u009b31m\u202Eevil\u0000";

  @Test
  void tokenTreesAndTablesShowNoControlCharacters() {
    ObjectNode token =
        JSON.createObjectNode()
            .put("token_id", "tok-1")
            .put("tenant", "acme")
            .put("status", "active")
            .put("principal", HOSTILE);
    token
        .putArray("chain")
        .addObject()
        .put("token_id", "tok-1")
        .put("actor", HOSTILE)
        .put("via", "issued");
    token.putArray("violations");
    StringWriter text = new StringWriter();
    PrintWriter out = new PrintWriter(text);
    Render.tokenTree(out, token, new ArrayList<>());
    Render.table(
        out, List.of(new String[] {"ACTOR"}, new String[] {Render.text(token, "principal")}));
    out.flush();

    String shown = text.toString().replace("\n", "");
    assertThat(shown.chars().filter(c -> Character.isISOControl(c) || c == 0x202E)).isEmpty();
    assertThat(shown)
        .contains(
            "agent\\u001B]0;pwned\\u0007\\u001B[2J\\u000D\\u0008x\\u009B31m\\u202Eevil\\u0000");
  }

  @Test
  void escapedJsonLinesAreStillJson() throws Exception {
    ObjectNode record = JSON.createObjectNode().put("actor", HOSTILE);
    String line = Render.safe(record.toString());
    assertThat(line.chars().filter(c -> Character.isISOControl(c) || c == 0x202E)).isEmpty();
    assertThat(JSON.readTree(line).get("actor").asText()).isEqualTo(HOSTILE);
  }

  @Test
  void prettyJsonKeepsItsLinesAndStaysJson() throws Exception {
    ObjectNode token = JSON.createObjectNode().put("token_id", "tok-1").put("actor", HOSTILE);
    String shown = Render.safeLines(token.toPrettyString());
    assertThat(shown.lines())
        .hasSizeGreaterThan(2); // `ledger token --json` once printed one escaped line
    assertThat(
            shown
                .replace(System.lineSeparator(), "")
                .chars()
                .filter(c -> Character.isISOControl(c) || c == 0x202E))
        .isEmpty();
    assertThat(JSON.readTree(shown).get("actor").asText()).isEqualTo(HOSTILE);
  }

  @Test
  void plainTextIsUnchanged() {
    assertThat(Render.safe("alice@example.com → agent-7 (ÄÖÜ, 日本)"))
        .isEqualTo("alice@example.com → agent-7 (ÄÖÜ, 日本)");
  }
}
