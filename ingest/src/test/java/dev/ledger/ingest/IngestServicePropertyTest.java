package dev.ledger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.schemas.EventType;
import dev.ledger.schemas.LedgerLimits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Broken input of every kind never escapes {@link IngestService#submit} as an exception and is
 * never accepted. Seeded: the seed is printed, and {@code -Dledger.seed=N} replays a run.
 */
class IngestServicePropertyTest {

  private static final int CASES = 4000;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> ACCEPTED_TYPES =
      List.of("application/json", "application/x-ndjson", "application/jsonl; charset=utf-8");

  /**
   * Characters whose deletion breaks the quickstart JSON (none of them occurs inside its strings).
   */
  private static final String STRUCTURAL = "\"{}[],";

  private final Random random;
  private final long seed;

  IngestServicePropertyTest() {
    seed = Long.getLong("ledger.seed", System.nanoTime());
    random = new Random(seed);
    System.out.println(
        "IngestServicePropertyTest seed " + seed + " (replay with -Dledger.seed=" + seed + ")");
  }

  private record Case(String kind, byte[] body, String contentType, boolean mediaTypeRefused) {}

  @Test
  void brokenInputIsNeverAcceptedAndNeverThrows() {
    IngestServiceTest.FakePublisher publisher = new IngestServiceTest.FakePublisher();
    IngestService ingest = new IngestService(publisher);
    List<Supplier<Case>> generators =
        List.of(
            this::randomBytes,
            this::truncatedArray,
            this::truncatedLine,
            this::deletedStructuralCharacter,
            this::wrongValues,
            this::refusedMediaType);
    Map<String, Integer> seen = new java.util.TreeMap<>();
    for (int i = 0; i < CASES; i++) {
      Case c = generators.get(random.nextInt(generators.size())).get();
      seen.merge(c.kind(), 1, Integer::sum);
      String what =
          "case "
              + i
              + " ("
              + c.kind()
              + ", seed "
              + seed
              + "): "
              + abbreviate(new String(c.body(), StandardCharsets.UTF_8));
      IngestResult result = ingest.submit(c.body(), c.contentType(), "*");
      if (c.mediaTypeRefused()) {
        assertThat(result).as(what).isInstanceOf(IngestResult.UnsupportedMediaType.class);
      } else {
        assertThat(result)
            .as(what)
            .isInstanceOfSatisfying(
                IngestResult.Invalid.class,
                invalid ->
                    assertThat(invalid.problems())
                        .as(what)
                        .isNotEmpty()
                        .allSatisfy(
                            p -> {
                              assertThat(p.index()).isBetween(-1, IngestService.MAX_BATCH_SIZE);
                              assertThat(p.reason()).isNotBlank();
                            }));
      }
    }
    assertThat(publisher.published).isEmpty();
    System.out.println("IngestServicePropertyTest cases by kind: " + seen);
  }

  private Case invalid(String kind, byte[] body) {
    return new Case(kind, body, ACCEPTED_TYPES.get(random.nextInt(ACCEPTED_TYPES.size())), false);
  }

  private Case randomBytes() {
    byte[] body = new byte[random.nextInt(300)];
    if (random.nextBoolean()) {
      random.nextBytes(body);
    } else {
      String alphabet = "{}[]\":,0123456789eE.-+ \n\ttrufalsn\\abc";
      for (int i = 0; i < body.length; i++) {
        body[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
      }
    }
    return invalid("random bytes", body);
  }

  private Case truncatedArray() {
    String array = TestEvents.quickstart().toString();
    return invalid(
        "truncated array", TestEvents.utf8(array.substring(0, random.nextInt(array.length() - 1))));
  }

  private Case truncatedLine() {
    List<String> lines = lines();
    int victim = random.nextInt(lines.size());
    String line = lines.get(victim);
    lines.set(victim, line.substring(0, 1 + random.nextInt(line.length() - 1)));
    return invalid("truncated line", TestEvents.utf8(String.join("\n", lines)));
  }

  private Case deletedStructuralCharacter() {
    List<String> lines = lines();
    int victim = random.nextInt(lines.size());
    String line = lines.get(victim);
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < line.length(); i++) {
      if (STRUCTURAL.indexOf(line.charAt(i)) >= 0) {
        positions.add(i);
      }
    }
    int at = positions.get(random.nextInt(positions.size()));
    lines.set(victim, line.substring(0, at) + line.substring(at + 1));
    boolean asArray = random.nextBoolean();
    String body = asArray ? "[" + String.join(",", lines) + "]" : String.join("\n", lines);
    return invalid("deleted structural character", TestEvents.utf8(body));
  }

  /** One to three fields of random events get a value of the wrong type or range, or go missing. */
  private Case wrongValues() {
    List<ObjectNode> events = TestEvents.quickstart();
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations; m++) {
      ObjectNode event = events.get(random.nextInt(events.size()));
      ObjectNode target = event;
      String bodyField =
          EventType.fromWireName(event.path("type").asText())
              .map(EventType::bodyField)
              .orElse(null);
      if (bodyField != null
          && event.get(bodyField) instanceof ObjectNode body
          && random.nextBoolean()) {
        target = body;
      }
      List<String> names = new ArrayList<>();
      target.fieldNames().forEachRemaining(names::add);
      String name = names.get(random.nextInt(names.size()));
      if (random.nextInt(5) == 0 && isRequired(target == event, name, event)) {
        target.remove(name);
      } else {
        target.set(name, wrongValue(name));
      }
    }
    List<JsonNode> batch = new ArrayList<>(events);
    if (random.nextInt(10) == 0) {
      batch.set(
          random.nextInt(batch.size()),
          random.nextBoolean() ? NODES.numberNode(1) : NODES.arrayNode());
    }
    byte[] body =
        random.nextBoolean() ? TestEvents.ndjson(batch) : TestEvents.utf8(batch.toString());
    return invalid("wrong values", body);
  }

  private static boolean isRequired(boolean envelope, String name, ObjectNode event) {
    if (envelope) {
      return List.of("event_id", "type", "occurred_at", "token", "use", "revocation")
          .contains(name);
    }
    List<String> required =
        switch (event.path("type").asText()) {
          case "token.issued" ->
              List.of("token_id", "issuer", "subject", "actor", "audience", "scopes");
          case "token.exchanged" ->
              List.of("token_id", "parent_token_id", "issuer", "actor", "audience", "scopes");
          case "token.attenuated" -> List.of("token_id", "parent_token_id");
          case "token.used" -> List.of("token_id", "resource", "action", "outcome");
          default -> List.of("token_id");
        };
    return required.contains(name);
  }

  private JsonNode wrongValue(String name) {
    List<JsonNode> choices =
        switch (name) {
          case "occurred_at", "expires_at" ->
              List.of(
                  NODES.textNode("2026-11-20"),
                  NODES.numberNode(1_700_000_000),
                  NODES.textNode("2026-11-20T25:00:00Z"));
          case "max_uses" ->
              List.of(
                  NODES.numberNode(0),
                  NODES.numberNode(-4),
                  NODES.numberNode(1.5),
                  NODES.textNode("3"));
          case "audience", "scopes", "caveats" ->
              List.of(
                  NODES.textNode("x"),
                  NODES.numberNode(2),
                  NODES.objectNode(),
                  NODES.arrayNode().add("ok").add(3),
                  NODES.arrayNode().add(""));
          case "attributes" ->
              List.of(NODES.arrayNode(), NODES.textNode("x"), NODES.objectNode().put("k", 5));
          case "type" -> List.of(NODES.textNode("token.forged"), NODES.numberNode(3));
          case "outcome" -> List.of(NODES.textNode("maybe"), NODES.booleanNode(true));
          case "tenant" ->
              List.of(NODES.textNode("a/b"), NODES.textNode(""), NODES.textNode("t".repeat(129)));
          case "token", "use", "revocation" ->
              List.of(NODES.textNode("body"), NODES.arrayNode(), NODES.numberNode(1));
          default ->
              List.of(
                  NODES.numberNode(5),
                  NODES.booleanNode(false),
                  NODES.arrayNode(),
                  NODES.objectNode(),
                  NODES.textNode(""),
                  NODES.textNode("x".repeat(LedgerLimits.DEFAULTS.maxTextLength() + 1)));
        };
    return choices.get(random.nextInt(choices.size()));
  }

  private Case refusedMediaType() {
    List<String> refused =
        java.util.Arrays.asList(
            null, "text/plain", "application/xml", "", "application/json; charset=utf-16");
    byte[] body =
        random.nextBoolean() ? TestEvents.ndjson(TestEvents.quickstart()) : randomBytes().body();
    return new Case("refused media type", body, refused.get(random.nextInt(refused.size())), true);
  }

  private static List<String> lines() {
    return new ArrayList<>(TestEvents.quickstart().stream().map(JsonNode::toString).toList());
  }

  private static String abbreviate(String text) {
    return text.length() <= 400 ? text : text.substring(0, 400) + "...";
  }
}
