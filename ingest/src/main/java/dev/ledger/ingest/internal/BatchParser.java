package dev.ledger.ingest.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ledger.ingest.Problem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Splits a request body into events: a JSON array, or NDJSON (one event per line, blank lines
 * ignored). The first character that is not whitespace decides: {@code [} means an array. It stops
 * at the batch cap: an array is read element by element with Jackson's streaming parser and NDJSON
 * lines are counted before any is parsed, so an oversized batch is refused without building a JSON
 * tree of every event in it.
 */
public final class BatchParser {

  /**
   * What a body held.
   *
   * @param events one entry per event position; null where that line could not be parsed (its
   *     problem is in {@code problems})
   * @param problems parse problems: index -1 for the whole body, else the line's event index
   */
  public record ParsedBatch(List<JsonNode> events, List<Problem> problems) {
    public ParsedBatch {
      events = Collections.unmodifiableList(new ArrayList<>(events));
      problems = List.copyOf(problems);
    }
  }

  /**
   * Reads one element of the array; what follows it is the array's business, not trailing garbage.
   */
  private static final ObjectReader ELEMENT =
      Json.MAPPER.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private BatchParser() {}

  /**
   * Parses {@code body}; never throws for any input.
   *
   * @param maxEvents most events of a batch: a body with more gives a single whole-body problem
   *     saying so, and no events
   */
  public static ParsedBatch parse(byte[] body, int maxEvents) {
    int start = skipBom(body);
    int first = start;
    while (first < body.length && isWhitespace(body[first])) {
      first++;
    }
    if (first == body.length) {
      return new ParsedBatch(
          List.of(), List.of(Problem.ofBody("the batch is empty: send at least one event")));
    }
    return body[first] == '['
        ? parseArray(body, first, maxEvents)
        : parseLines(body, start, maxEvents);
  }

  private static ParsedBatch parseArray(byte[] body, int from, int maxEvents) {
    try (JsonParser parser = Json.MAPPER.createParser(body, from, body.length - from)) {
      parser.nextToken();
      List<JsonNode> events = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (parser.currentToken() == null) {
          return new ParsedBatch(
              List.of(), List.of(Problem.ofBody("not valid JSON: the array is not closed")));
        }
        if (events.size() == maxEvents) {
          return tooMany(maxEvents);
        }
        events.add(ELEMENT.readValue(parser));
      }
      if (parser.nextToken() != null) {
        return new ParsedBatch(
            List.of(),
            List.of(
                Problem.ofBody(
                    "not valid JSON: trailing content after the array at line "
                        + parser.currentLocation().getLineNr()
                        + ", column "
                        + parser.currentLocation().getColumnNr())));
      }
      return new ParsedBatch(
          events,
          events.isEmpty()
              ? List.of(Problem.ofBody("the batch is empty: send at least one event"))
              : List.of());
    } catch (JsonProcessingException e) {
      return new ParsedBatch(List.of(), List.of(Problem.ofBody(Json.describe(e))));
    } catch (IOException e) {
      return new ParsedBatch(
          List.of(), List.of(Problem.ofBody("cannot read the body: " + e.getMessage())));
    }
  }

  private static ParsedBatch tooMany(int maxEvents) {
    return new ParsedBatch(
        List.of(),
        List.of(
            Problem.ofBody(
                "the batch has more than "
                    + maxEvents
                    + " events, at most "
                    + maxEvents
                    + ": split it")));
  }

  private static ParsedBatch parseLines(byte[] body, int from, int maxEvents) {
    if (countLines(body, from, maxEvents + 1) > maxEvents) {
      return tooMany(maxEvents);
    }
    List<JsonNode> events = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    int lineStart = from;
    while (lineStart <= body.length) {
      int lineEnd = lineStart;
      while (lineEnd < body.length && body[lineEnd] != '\n') {
        lineEnd++;
      }
      if (!isBlank(body, lineStart, lineEnd)) {
        int index = events.size();
        try {
          events.add(Json.MAPPER.readTree(body, lineStart, lineEnd - lineStart));
        } catch (JsonProcessingException e) {
          events.add(null);
          problems.add(
              new Problem(index, null, Json.describe(e).replaceFirst(" at line 1,", " at")));
        } catch (IOException e) {
          events.add(null);
          problems.add(new Problem(index, null, "cannot read the line: " + e.getMessage()));
        }
      }
      lineStart = lineEnd + 1;
    }
    return new ParsedBatch(events, problems);
  }

  /** Non-blank lines from {@code from}, counting no further than {@code stopAt}. */
  private static int countLines(byte[] body, int from, int stopAt) {
    int count = 0;
    for (int lineStart = from; lineStart <= body.length && count < stopAt; ) {
      int lineEnd = lineStart;
      while (lineEnd < body.length && body[lineEnd] != '\n') {
        lineEnd++;
      }
      if (!isBlank(body, lineStart, lineEnd)) {
        count++;
      }
      lineStart = lineEnd + 1;
    }
    return count;
  }

  private static int skipBom(byte[] body) {
    return body.length >= 3
            && (body[0] & 0xFF) == 0xEF
            && (body[1] & 0xFF) == 0xBB
            && (body[2] & 0xFF) == 0xBF
        ? 3
        : 0;
  }

  private static boolean isBlank(byte[] body, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isWhitespace(body[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }
}
