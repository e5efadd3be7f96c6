package dev.ledger.bench.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.bench.ledger.ApiCalls;
import dev.ledger.schemas.EventType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Makes the HTTP inputs of a fuzz run: {@code POST /v1/events} bodies (mutated valid events, random
 * JSON, random bytes, deep nesting, over-long batches, wrong content types) and requests to every
 * GET route of the API's own OpenAPI description with random values for its parameters (Lucene
 * {@code q} strings, cursors, times, ids). Input {@code i} depends only on the seed, the corpus and
 * {@code i}.
 */
final class HttpInputs {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPENAPI = "/dev/ledger/api/openapi.json";
  private static final List<String> FIELDS =
      List.of(
          "all",
          "tenant",
          "event_id",
          "type",
          "token_id",
          "root_id",
          "parent_id",
          "ancestor",
          "principal",
          "actor",
          "resource",
          "action",
          "outcome",
          "violation",
          "kind",
          "request_id",
          "source",
          "submitted_by",
          "occurred_at",
          "_kind",
          "_id",
          "_record",
          "_seq",
          "_time",
          "_chain");
  private static final List<String> ENUMS =
      Stream.concat(
              Stream.of(EventType.values()).map(EventType::wireName),
              Stream.of(
                  "allowed",
                  "denied",
                  "use_after_revocation",
                  "scope_escalation",
                  "depth_limit",
                  "unknown_token",
                  "cycle",
                  "ndjson",
                  "csv",
                  "ocsf",
                  "json"))
          .toList();
  private static final List<String> CONTENT_TYPES =
      List.of(
          "application/x-ndjson",
          "application/json",
          "application/json; charset=utf-8",
          "application/json; charset=utf-16",
          "text/plain",
          "multipart/form-data",
          "application/x-ndjson; boundary=\u00ff",
          "*/*",
          "");

  /** A GET route of the OpenAPI description and the names of its parameters. */
  record Route(String path, List<String> params) {}

  private final long seed;
  private final List<String> events;
  private final List<String> tokenIds;
  private final List<String> cursors;
  private final List<Route> routes;

  /**
   * @param seed the run's seed
   * @param events valid contract events (JSON lines) to mutate
   * @param tokenIds token ids of those events, for the id of token routes
   * @param cursors real cursors answered by the ledger, to mutate
   */
  HttpInputs(long seed, List<String> events, List<String> tokenIds, List<String> cursors) {
    this.seed = seed;
    this.events = List.copyOf(events);
    this.tokenIds = List.copyOf(tokenIds);
    this.cursors = List.copyOf(cursors);
    this.routes = getRoutes();
  }

  /**
   * Every GET route of the API, as its OpenAPI description lists it, so a new route is fuzzed too.
   */
  static List<Route> getRoutes() {
    try (InputStream in = HttpInputs.class.getResourceAsStream(OPENAPI)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI + " is not on the classpath");
      }
      JsonNode api = JSON.readTree(in);
      List<Route> out = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = api.path("paths").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> path = it.next();
        JsonNode get = path.getValue().get("get");
        if (get == null) {
          continue;
        }
        List<String> names = new ArrayList<>();
        for (JsonNode p : List.of(get.path("parameters"), path.getValue().path("parameters"))) {
          for (JsonNode param : p) {
            JsonNode resolved =
                param.has("$ref") ? api.at(param.get("$ref").asText().substring(1)) : param;
            if (!"header".equals(resolved.path("in").asText())) {
              names.add(resolved.path("name").asText());
            }
          }
        }
        out.add(new Route(path.getKey(), names));
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<Route> routes() {
    return routes;
  }

  /** Input {@code index}: a POST of events ({@code post}) or a request to a GET route. */
  HttpInput make(long index, boolean post) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
    return post ? post(index, r) : get(index, r);
  }

  private HttpInput post(long index, SplittableRandom r) {
    String type = CONTENT_TYPES.get(r.nextInt(CONTENT_TYPES.size()));
    boolean ndjson = r.nextBoolean();
    byte[] body;
    int kind = r.nextInt(20);
    if (kind < 12) {
      body = utf8(batch(r, r.nextInt(1, 6), ndjson, 0.7));
      // The matching content type most of the time, so most batches reach validation.
      type = r.nextInt(4) == 0 ? type : ndjson ? "application/x-ndjson" : "application/json";
    } else if (kind < 14) {
      body = Mutations.bytes(utf8(batch(r, r.nextInt(1, 4), ndjson, 0)), r);
    } else if (kind < 16) {
      body = utf8(Mutations.anyJson(r, 4).toString());
    } else if (kind == 16) {
      int depth = r.nextBoolean() ? r.nextInt(900, 1100) : r.nextInt(5000, 20000);
      body = utf8("[".repeat(depth) + "]".repeat(r.nextBoolean() ? depth : depth / 2));
    } else if (kind == 17) {
      // More events than a batch may hold, each tiny, so the cap is what refuses it.
      body = utf8("[" + "{},".repeat(10_000) + "{}]");
      type = "application/json";
    } else if (kind == 18) {
      body = Mutations.random(r, r.nextInt(0, 512));
    } else {
      body = new byte[0];
    }
    Map<String, String> headers = type.isEmpty() ? Map.of() : Map.of("Content-Type", type);
    return new HttpInput(index, "POST", "/v1/events", headers, body, false);
  }

  /**
   * {@code n} corpus events, each mutated with probability {@code share}, as NDJSON or a JSON
   * array.
   */
  private String batch(SplittableRandom r, int n, boolean ndjson, double share) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String line = events.get(r.nextInt(events.size()));
      if (r.nextDouble() < share) {
        try {
          ObjectNode event = (ObjectNode) JSON.readTree(line);
          Mutations.json(event, r, r.nextInt(1, 4));
          line = JSON.writeValueAsString(event);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      lines.add(line);
    }
    return ndjson ? String.join("\n", lines) + "\n" : "[" + String.join(",", lines) + "]";
  }

  private HttpInput get(long index, SplittableRandom r) {
    Route route = routes.get(r.nextInt(routes.size()));
    if (route.params().isEmpty() && r.nextInt(4) > 0) {
      route =
          routes.get(
              r.nextInt(
                  routes.size())); // a route without parameters has less to try: a quarter of the
      // weight
    }
    String path = route.path();
    if (path.contains("{id}")) {
      String id = r.nextInt(3) > 0 ? tokenIds.get(r.nextInt(tokenIds.size())) : Mutations.string(r);
      path = path.replace("{id}", ApiCalls.enc(id).replace("+", "%20"));
    }
    if (path.contains("{file}")) {
      List<String> files =
          List.of(
              "app.js",
              "index.html",
              "console.css",
              "favicon.svg",
              "..%2F..%2Fopenapi.json",
              "%2e%2e",
              "nope.js");
      path =
          path.replace(
              "{file}",
              r.nextBoolean()
                  ? files.get(r.nextInt(files.size()))
                  : ApiCalls.enc(Mutations.string(r)).replace("+", "%20"));
    }
    Map<String, String> query = new LinkedHashMap<>();
    for (String name : route.params()) {
      if (!name.equals("id") && !name.equals("file") && r.nextInt(3) > 0) {
        query.put(name, value(name, r));
      }
    }
    if (query.containsKey("after_events") && r.nextInt(4) > 0) {
      // Most waits short: a wait for an id never indexed lasts max_wait_ms (default 1 s).
      query.put("max_wait_ms", Integer.toString(r.nextInt(0, 50)));
    }
    if (r.nextInt(10) == 0) {
      query.put(
          Mutations.ascii(r, r.nextInt(1, 8)), Mutations.string(r)); // a parameter no route knows
    }
    StringBuilder url = new StringBuilder(path);
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      url.append(sep)
          .append(ApiCalls.enc(e.getKey()))
          .append('=')
          .append(ApiCalls.enc(e.getValue()));
      sep = '&';
    }
    boolean stream = route.path().endsWith("/stream");
    Map<String, String> headers =
        stream && r.nextBoolean() ? Map.of("Last-Event-ID", lastEventId(r)) : Map.of();
    String method = r.nextInt(5) == 0 ? "HEAD" : "GET";
    return new HttpInput(index, method, url.toString(), headers, new byte[0], stream);
  }

  /**
   * A {@code Last-Event-ID}: a position (contract v1.17: {@code <partition>:<offset>} pairs, {@code
   * 0} for the start), sometimes of more partitions or characters than the server reads, or one
   * character off, a number (an id of v1.16, or a negative one) or random text.
   */
  private static String lastEventId(SplittableRandom r) {
    int partitions = r.nextInt(6) == 0 ? r.nextInt(900, 1200) : r.nextInt(0, 6);
    StringBuilder position = new StringBuilder(partitions == 0 ? "0" : "");
    for (int p = 0; p < partitions; p++) {
      position.append(p == 0 ? "" : ",").append(p).append(':');
      position.append(r.nextBoolean() ? r.nextLong(0, 1000) : r.nextLong(0, Long.MAX_VALUE));
    }
    String s = position.toString();
    return switch (r.nextInt(5)) {
      case 0 -> Long.toString(Mutations.integer(r));
      case 1 -> Mutations.ascii(r, r.nextInt(1, 24));
      case 2 -> {
        int at = r.nextInt(s.length());
        yield s.substring(0, at) + (char) r.nextInt(0x21, 0x7f) + s.substring(at + 1);
      }
      default -> s;
    };
  }

  /** A value for the parameter {@code name}: often a plausible one, often not. */
  private String value(String name, SplittableRandom r) {
    if (r.nextInt(4) == 0) {
      return Mutations.string(r);
    }
    return switch (name) {
      case "tenant" ->
          List.of("t0", "t1", "t2", "*", "default", "T0", "acme", "").get(r.nextInt(8));
      case "limit", "previous_tree_size" -> Long.toString(Mutations.integer(r));
      case "cursor" ->
          cursors.isEmpty() || r.nextInt(3) == 0
              ? Mutations.ascii(r, r.nextInt(1, 60))
              : Mutations.text(cursors.get(r.nextInt(cursors.size())), r);
      case "q" -> luceneQuery(r);
      case "from", "to", "since" -> time(r);
      case "token" -> tokenIds.get(r.nextInt(tokenIds.size()));
      case "after_events" -> afterEvents(r);
      case "max_wait_ms" ->
          Long.toString(r.nextBoolean() ? r.nextInt(0, 50) : Mutations.integer(r));
      case "format", "type", "outcome", "violation", "kind" -> ENUMS.get(r.nextInt(ENUMS.size()));
      default -> r.nextBoolean() ? "agent:" + Mutations.ascii(r, 6) : "user:u" + r.nextInt(100);
    };
  }

  /**
   * Event ids to wait for: ids of the corpus (indexed, or refused) and made-up ones, sometimes
   * empty or too many.
   */
  private String afterEvents(SplittableRandom r) {
    int n = r.nextInt(10) == 0 ? r.nextInt(95, 110) : r.nextInt(0, 4);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(
          r.nextBoolean() ? eventId(events.get(r.nextInt(events.size()))) : Mutations.ascii(r, 8));
    }
    return String.join(",", ids);
  }

  private static String eventId(String event) {
    try {
      return JSON.readTree(event).path("event_id").asText("");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String time(SplittableRandom r) {
    return switch (r.nextInt(4)) {
      case 0 ->
          List.of(
                  "2026-01-01T00:00:0" + r.nextInt(10) + "Z",
                  "+999999999-12-31T23:59:59Z",
                  "-999999999-01-01T00:00:00Z",
                  "2026-01-01T00:00:00+25:00")
              .get(r.nextInt(4));
      case 1 -> Long.toString(Mutations.integer(r));
      case 2 -> "2026-01-01";
      default -> Mutations.string(r);
    };
  }

  /**
   * A Lucene query string: terms, phrases, wildcards, regular expressions, fuzzy terms, ranges and
   * operators.
   */
  static String luceneQuery(SplittableRandom r) {
    StringBuilder q = new StringBuilder();
    int terms = r.nextInt(10) == 0 ? r.nextInt(60, 80) : r.nextInt(1, 5);
    for (int i = 0; i < terms; i++) {
      if (i > 0) {
        q.append(
            List.of(" ", " AND ", " OR ", " NOT ", " && ", " || ", " +", " -").get(r.nextInt(8)));
      }
      if (r.nextBoolean()) {
        q.append(FIELDS.get(r.nextInt(FIELDS.size()))).append(':');
      }
      String word =
          r.nextInt(4) == 0
              ? Mutations.string(r)
              : Mutations.ascii(r, r.nextInt(1, 8)).replaceAll("[^a-z0-9]", "e");
      q.append(
          switch (r.nextInt(12)) {
            case 0 -> word + "*";
            case 1 -> "*" + word;
            case 2 -> word.substring(0, Math.min(2, word.length())) + "?" + word;
            case 3 ->
                "/"
                    + List.of(
                            ".*a.{20}",
                            ".*e.*v.*",
                            "[a-z]{1,100}",
                            word + ".*",
                            "(a|b)*c{1000}",
                            "((((",
                            "\\")
                        .get(r.nextInt(7))
                    + "/";
            case 4 -> word + "~" + r.nextInt(0, 4);
            case 5 -> "\"" + word + " " + word + "\"~" + r.nextInt(100);
            case 6 -> "[" + word + " TO " + (r.nextBoolean() ? "*" : word) + "]";
            case 7 ->
                r.nextBoolean()
                    ? "{* TO " + word + "}"
                    : "occurred_at:[" + time(r).replace(" ", "") + " TO *]";
            case 8 -> "(" + word;
            case 9 -> word + "^" + List.of("2", "1e309", "-1", "NaN").get(r.nextInt(4));
            default -> word;
          });
    }
    return q.toString();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
