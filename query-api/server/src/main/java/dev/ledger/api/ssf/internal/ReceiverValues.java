package dev.ledger.api.ssf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The receiver-supplied values of a stream configuration (SSF 1.0 section 8.1.1), read from a
 * create, update or replace body. {@link #parse} checks them all and returns every problem at once.
 *
 * @param method the delivery method, poll when the body has no {@code delivery}
 * @param endpointUrl push only: where to POST the SETs
 * @param authorizationHeader push only: sent as {@code Authorization}, or null
 * @param eventsRequested null when not given
 * @param description null when not given
 */
public record ReceiverValues(
    String method,
    String endpointUrl,
    String authorizationHeader,
    List<String> eventsRequested,
    String description) {

  /** The result of {@link #parse}: the values, or every problem found. */
  public record Parsed(ReceiverValues values, Map<String, String> problems) {}

  /** The transmitter-supplied members a receiver may echo back but never change. */
  static final List<String> TRANSMITTER_SUPPLIED =
      List.of(
          "iss",
          "aud",
          "events_supported",
          "events_delivered",
          "min_verification_interval",
          "inactivity_timeout");

  /**
   * Reads the receiver-supplied members of {@code body}; members it does not know are ignored.
   *
   * @param base the values to start from (a PATCH changes only what it names), or null for defaults
   */
  public static Parsed parse(JsonNode body, ReceiverValues base) {
    Map<String, String> problems = new java.util.LinkedHashMap<>();
    String method = base == null ? SetEvents.POLL : base.method();
    String endpoint = base == null ? null : base.endpointUrl();
    String authorization = base == null ? null : base.authorizationHeader();
    List<String> requested = base == null ? null : base.eventsRequested();
    String description = base == null ? null : base.description();

    JsonNode delivery = body.get("delivery");
    if (delivery != null && !delivery.isNull()) {
      if (!delivery.isObject()) {
        problems.put("delivery", "expected an object with a method");
      } else {
        JsonNode m = delivery.get("method");
        if (m == null || !m.isTextual()) {
          problems.put("delivery.method", "required: " + SetEvents.PUSH + " or " + SetEvents.POLL);
        } else if (!SetEvents.PUSH.equals(m.asText()) && !SetEvents.POLL.equals(m.asText())) {
          problems.put(
              "delivery.method",
              "unsupported delivery method '"
                  + m.asText()
                  + "' (expected "
                  + SetEvents.PUSH
                  + " or "
                  + SetEvents.POLL
                  + ")");
        } else {
          method = m.asText();
          endpoint = null;
          authorization = null;
          if (SetEvents.PUSH.equals(method)) {
            JsonNode url = delivery.get("endpoint_url");
            if (url == null || !url.isTextual() || !httpUrl(url.asText())) {
              problems.put(
                  "delivery.endpoint_url", "push needs the receiver's absolute http(s) URL");
            } else {
              endpoint = url.asText();
            }
            JsonNode auth = delivery.get("authorization_header");
            if (auth != null && !auth.isNull()) {
              if (!auth.isTextual() || auth.asText().isBlank() || auth.asText().contains("\n")) {
                problems.put("delivery.authorization_header", "expected a one-line string");
              } else {
                authorization = auth.asText();
              }
            }
          }
        }
      }
    }
    JsonNode events = body.get("events_requested");
    if (events != null && !events.isNull()) {
      if (!events.isArray()) {
        problems.put("events_requested", "expected an array of event type URIs");
      } else {
        List<String> list = new ArrayList<>();
        for (JsonNode e : events) {
          if (!e.isTextual()) {
            problems.put("events_requested", "expected an array of event type URIs");
            break;
          }
          list.add(e.asText());
        }
        requested = list;
      }
    }
    JsonNode desc = body.get("description");
    if (desc != null && !desc.isNull()) {
      if (!desc.isTextual() || desc.asText().length() > 1024) {
        problems.put("description", "expected a string of at most 1024 characters");
      } else {
        description = desc.asText();
      }
    }
    return new Parsed(
        problems.isEmpty()
            ? new ReceiverValues(method, endpoint, authorization, requested, description)
            : null,
        problems);
  }

  /**
   * @return the receiver-supplied values of an existing stream
   */
  public static ReceiverValues of(StreamConfig stream) {
    return new ReceiverValues(
        stream.method(),
        stream.endpointUrl(),
        stream.authorizationHeader(),
        stream.eventsRequested(),
        stream.description());
  }

  private static boolean httpUrl(String text) {
    try {
      URI uri = new URI(text);
      return uri.isAbsolute()
          && uri.getHost() != null
          && ("http".equalsIgnoreCase(uri.getScheme())
              || "https".equalsIgnoreCase(uri.getScheme()));
    } catch (Exception e) {
      return false;
    }
  }
}
