package dev.ledger.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.ingest.internal.Json;
import dev.ledger.schemas.EventType;
import dev.ledger.testkit.Examples;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Valid events to start tests from: the contract's quickstart batch, as trees and as bodies. */
final class TestEvents {

  private TestEvents() {}

  /** The six quickstart lines, parsed afresh (callers may mutate them). */
  static List<ObjectNode> quickstart() {
    return Examples.quickstartNdjson()
        .lines()
        .filter(l -> !l.isBlank())
        .map(TestEvents::object)
        .toList();
  }

  /** A fresh valid event of this type from the quickstart batch. */
  static ObjectNode valid(EventType type) {
    return quickstart().stream()
        .filter(e -> e.get("type").textValue().equals(type.wireName()))
        .findFirst()
        .orElseThrow();
  }

  static ObjectNode object(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Events as an NDJSON body. */
  static byte[] ndjson(List<? extends com.fasterxml.jackson.databind.JsonNode> events) {
    return events.stream()
        .map(Object::toString)
        .collect(Collectors.joining("\n", "", "\n"))
        .getBytes(StandardCharsets.UTF_8);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
