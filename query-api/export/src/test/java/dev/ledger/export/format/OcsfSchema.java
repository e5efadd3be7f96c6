package dev.ledger.export.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Validates events against OCSF's own schema files (its metaschema, as committed under {@code
 * src/test/resources/ocsf/<version>}): an event class is {@code base_event} extended by its
 * category's class and then by itself, an object is its {@code extends} chain, and both take the
 * attributes of the profiles they {@code $include} (as optional). Each attribute's type and enum
 * come from {@code dictionary.json}, with the class's or object's own enum values added.
 *
 * <p>It checks what a consumer relies on: every required attribute present, every value of its type
 * (scalar types by their base type, objects recursively, arrays where {@code is_array}), enum
 * values known, {@code at_least_one} constraints, {@code class_uid} and {@code type_uid} consistent
 * with the category and activity, and no attribute the class or object does not define, except
 * inside {@code unmapped}, which OCSF leaves free.
 */
final class OcsfSchema {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode dictionary;
  private final JsonNode types;
  private final Map<String, JsonNode> objects = new HashMap<>();
  private final Map<Integer, Map<String, JsonNode>> classes = new HashMap<>();
  private final Map<String, Integer> categories = new HashMap<>();
  private final Path root;

  private OcsfSchema(Path root) throws IOException {
    this.root = root;
    JsonNode dict = read(root.resolve("dictionary.json"));
    dictionary = dict.path("attributes");
    types = dict.path("types").path("attributes");
    try (Stream<Path> files = Files.list(root.resolve("objects"))) {
      for (Path file : files.toList()) {
        JsonNode object = read(file);
        objects.put(object.path("name").asText(), object);
      }
    }
    categories(read(root.resolve("categories.json")).path("attributes"));
    Map<String, JsonNode> events = new HashMap<>();
    try (Stream<Path> files = Files.walk(root.resolve("events"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
        JsonNode event = read(file);
        events.put(event.path("name").asText(), event);
      }
    }
    for (JsonNode event : events.values()) {
      if (event.has("uid")) {
        String category = category(event, events);
        int uid = categories.get(category) * 1000 + event.path("uid").asInt();
        classes.put(uid, attributes(event, name -> events.get(name)));
      }
    }
  }

  /** The schema of the OCSF version committed as test resources under {@code /ocsf/<version>}. */
  static OcsfSchema load(String version) {
    try {
      return new OcsfSchema(Path.of(OcsfSchema.class.getResource("/ocsf/" + version).toURI()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every problem of {@code event}; empty when it is valid. */
  List<String> validate(JsonNode event) {
    List<String> problems = new ArrayList<>();
    int classUid = event.path("class_uid").asInt(-1);
    Map<String, JsonNode> attributes = classes.get(classUid);
    if (attributes == null) {
      problems.add("class_uid " + event.path("class_uid") + " is no class of this schema");
      return problems;
    }
    if (event.path("category_uid").asInt(-1) != classUid / 1000) {
      problems.add("category_uid must be " + classUid / 1000 + " for class " + classUid);
    }
    long typeUid = classUid * 100L + event.path("activity_id").asLong();
    if (event.path("type_uid").asLong(-1) != typeUid) {
      problems.add("type_uid must be " + typeUid);
    }
    check(event, attributes, null, "", problems);
    return problems;
  }

  private void check(
      JsonNode value,
      Map<String, JsonNode> attributes,
      JsonNode constraints,
      String at,
      List<String> problems) {
    if (!value.isObject()) {
      problems.add(label(at) + " must be an object");
      return;
    }
    attributes.forEach(
        (name, definition) -> {
          if ("required".equals(definition.path("requirement").asText()) && !value.has(name)) {
            problems.add(at + name + " is required");
          }
        });
    if (constraints != null) {
      JsonNode atLeastOne = constraints.path("at_least_one");
      if (atLeastOne.isArray() && atLeastOne.size() > 0) {
        boolean any = false;
        for (JsonNode name : atLeastOne) {
          any |= value.has(name.asText());
        }
        if (!any) {
          problems.add(label(at) + " needs at least one of " + atLeastOne);
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      JsonNode definition = attributes.get(field.getKey());
      if (definition == null) {
        problems.add(at + field.getKey() + " is not an attribute here");
        continue;
      }
      type(field.getValue(), field.getKey(), definition, at + field.getKey(), problems);
    }
  }

  private void type(JsonNode value, String name, JsonNode local, String at, List<String> problems) {
    JsonNode definition = dictionary.path(name);
    if (definition.isMissingNode()) {
      problems.add(at + " is not in the dictionary");
      return;
    }
    if (definition.path("is_array").asBoolean()) {
      if (!value.isArray()) {
        problems.add(at + " must be an array");
        return;
      }
      for (int i = 0; i < value.size(); i++) {
        single(value.get(i), definition, local, at + "[" + i + "]", problems);
      }
      return;
    }
    single(value, definition, local, at, problems);
  }

  private void single(
      JsonNode value, JsonNode definition, JsonNode local, String at, List<String> problems) {
    String type = definition.path("type").asText();
    if (type.equals("object")) {
      if (!value.isObject()) {
        problems.add(at + " must be an object");
      }
      return; // unmapped and other free-form objects: OCSF does not define their content
    }
    if (objects.containsKey(type)) {
      JsonNode object = objects.get(type);
      check(
          value, attributes(object, objects::get), object.path("constraints"), at + ".", problems);
      return;
    }
    String base = base(type);
    boolean ok =
        switch (base) {
          case "string_t" -> value.isTextual();
          case "integer_t" -> value.canConvertToInt() && value.isIntegralNumber();
          case "long_t" -> value.isIntegralNumber() && value.canConvertToLong();
          case "float_t" -> value.isNumber();
          case "boolean_t" -> value.isBoolean();
          case "json_t" -> true;
          default -> {
            problems.add(at + " has the unknown type " + type);
            yield true;
          }
        };
    if (!ok) {
      problems.add(at + " must be a " + type + ", not " + value.getNodeType());
      return;
    }
    if (at.equals("category_uid") || at.equals("class_uid")) {
      return; // base_event lists only 0 for these; the compiled schema has every category and
      // class, checked in validate
    }
    Map<String, JsonNode> enumeration = new LinkedHashMap<>();
    definition
        .path("enum")
        .fields()
        .forEachRemaining(e -> enumeration.put(e.getKey(), e.getValue()));
    local.path("enum").fields().forEachRemaining(e -> enumeration.put(e.getKey(), e.getValue()));
    if (!enumeration.isEmpty() && !enumeration.containsKey(value.asText())) {
      problems.add(at + " = " + value + " is not one of " + enumeration.keySet());
    }
  }

  /** The base scalar type of a dictionary type ({@code timestamp_t} is a {@code long_t}, ...). */
  private String base(String type) {
    String current = type;
    for (int i = 0; i < 10 && types.path(current).has("type"); i++) {
      current = types.path(current).path("type").asText();
    }
    return current;
  }

  /**
   * A class's or object's attributes: those of what it extends, its profiles' (optional), then its
   * own.
   */
  private Map<String, JsonNode> attributes(
      JsonNode definition, java.util.function.Function<String, JsonNode> parents) {
    Map<String, JsonNode> merged = new LinkedHashMap<>();
    String parent = definition.path("extends").asText(null);
    if (parent != null && parents.apply(parent) != null) {
      merged.putAll(attributes(parents.apply(parent), parents));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = definition.path("attributes").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getKey().equals("$include")) {
        for (JsonNode include : entry.getValue()) {
          read(root.resolve(include.asText()))
              .path("attributes")
              .fields()
              .forEachRemaining(
                  e -> {
                    ObjectNode optional = e.getValue().deepCopy();
                    optional.put("requirement", "optional");
                    merged.putIfAbsent(e.getKey(), optional);
                  });
        }
        continue;
      }
      ObjectNode combined =
          merged.containsKey(entry.getKey())
              ? merged.get(entry.getKey()).deepCopy()
              : JSON.createObjectNode();
      ObjectNode own =
          entry.getValue().isObject() ? (ObjectNode) entry.getValue() : JSON.createObjectNode();
      if (combined.has("enum") && own.has("enum")) {
        ObjectNode enums = ((ObjectNode) combined.get("enum")).deepCopy();
        enums.setAll((ObjectNode) own.get("enum"));
        combined.setAll(own);
        combined.set("enum", enums);
      } else {
        combined.setAll(own);
      }
      merged.put(entry.getKey(), combined);
    }
    return merged;
  }

  private void categories(JsonNode attributes) {
    attributes
        .fields()
        .forEachRemaining(e -> categories.put(e.getKey(), e.getValue().path("uid").asInt()));
  }

  private static String category(JsonNode event, Map<String, JsonNode> events) {
    JsonNode current = event;
    while (!current.has("category") && current.has("extends")) {
      current = events.get(current.path("extends").asText());
    }
    return current.path("category").asText();
  }

  private static String label(String at) {
    return at.isEmpty() ? "the event" : at.substring(0, at.length() - 1);
  }

  private static JsonNode read(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
