package dev.ledger.api.ssf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One SSF event stream as the ledger keeps it on {@code ledger.ssf.streams}: the receiver-supplied
 * part (requested events, delivery, description), the transmitter-supplied part (id, audience,
 * tenant) and the state (status, subjects).
 *
 * @param streamId transmitter-supplied, unique
 * @param tenant whose revocations it carries
 * @param owner the credential id that created it (streams of one receiver count against its limit)
 * @param audience the SETs' {@code aud}: fixed when the stream is created
 * @param method {@link SetEvents#PUSH} or {@link SetEvents#POLL}
 * @param endpointUrl push: the receiver's URL; poll: null (the transmitter's URL is derived from
 *     the id)
 * @param authorizationHeader push: what to send as {@code Authorization}, or null
 * @param eventsRequested as the receiver asked, or null when it did not say
 * @param description the receiver's, or null
 * @param status {@code enabled}, {@code paused} or {@code disabled}
 * @param reason why the status was last set, or null
 * @param subjects subjects added with add_subject, in order
 * @param createdAt when it was created
 */
public record StreamConfig(
    String streamId,
    String tenant,
    String owner,
    String audience,
    String method,
    String endpointUrl,
    String authorizationHeader,
    List<String> eventsRequested,
    String description,
    String status,
    String reason,
    List<JsonNode> subjects,
    Instant createdAt) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public StreamConfig {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(status, "status");
    eventsRequested = eventsRequested == null ? null : List.copyOf(eventsRequested);
    subjects = subjects == null ? List.of() : List.copyOf(subjects);
  }

  public boolean push() {
    return SetEvents.PUSH.equals(method);
  }

  /**
   * @return the CAEP event types this stream gets: supported ∩ requested (all supported when none
   *     requested)
   */
  public List<String> eventsDelivered() {
    if (eventsRequested == null) {
      return List.of(SetEvents.SESSION_REVOKED);
    }
    List<String> delivered = new ArrayList<>();
    for (String type : SetEvents.SUPPORTED) {
      if (eventsRequested.contains(type)) {
        delivered.add(type);
      }
    }
    return delivered;
  }

  /**
   * A new stream as SSF 1.0 section 8.1.1.1 creates one before the receiver's values are applied:
   * enabled, poll delivery, all events, no subjects, the caller its owner and its audience.
   */
  public static StreamConfig created(
      String streamId, String tenant, String owner, Instant createdAt) {
    return new StreamConfig(
        streamId,
        tenant,
        owner,
        owner,
        SetEvents.POLL,
        null,
        null,
        null,
        null,
        "enabled",
        null,
        List.of(),
        createdAt);
  }

  public StreamConfig withStatus(String newStatus, String newReason) {
    return new StreamConfig(
        streamId,
        tenant,
        owner,
        audience,
        method,
        endpointUrl,
        authorizationHeader,
        eventsRequested,
        description,
        newStatus,
        newReason,
        subjects,
        createdAt);
  }

  public StreamConfig withSubjects(List<JsonNode> newSubjects) {
    return new StreamConfig(
        streamId,
        tenant,
        owner,
        audience,
        method,
        endpointUrl,
        authorizationHeader,
        eventsRequested,
        description,
        status,
        reason,
        newSubjects,
        createdAt);
  }

  /**
   * @return this stream with the receiver-supplied values of {@code r}
   */
  public StreamConfig withReceiverValues(ReceiverValues r) {
    return new StreamConfig(
        streamId,
        tenant,
        owner,
        audience,
        r.method(),
        r.endpointUrl(),
        r.authorizationHeader(),
        r.eventsRequested(),
        r.description(),
        status,
        reason,
        subjects,
        createdAt);
  }

  /**
   * The stream configuration object of SSF 1.0 section 8.1.1, as the configuration endpoint answers
   * it.
   */
  public ObjectNode toWire(String issuer, String pollUrl) {
    ObjectNode node = JSON.createObjectNode();
    node.put("stream_id", streamId);
    node.put("iss", issuer);
    node.put("aud", audience);
    ArrayNode supported = node.putArray("events_supported");
    SetEvents.SUPPORTED.forEach(supported::add);
    if (eventsRequested != null) {
      ArrayNode requested = node.putArray("events_requested");
      eventsRequested.forEach(requested::add);
    }
    ArrayNode delivered = node.putArray("events_delivered");
    eventsDelivered().forEach(delivered::add);
    ObjectNode delivery = node.putObject("delivery");
    delivery.put("method", method);
    delivery.put("endpoint_url", push() ? endpointUrl : pollUrl);
    if (push() && authorizationHeader != null) {
      delivery.put("authorization_header", authorizationHeader);
    }
    if (description != null) {
      node.put("description", description);
    }
    return node;
  }

  /**
   * @return the record kept on the topic
   */
  public String toStored() {
    ObjectNode node = JSON.createObjectNode();
    node.put("stream_id", streamId);
    node.put("tenant", tenant);
    node.put("owner", owner);
    node.put("aud", audience);
    node.put("method", method);
    node.put("endpoint_url", endpointUrl);
    node.put("authorization_header", authorizationHeader);
    if (eventsRequested != null) {
      ArrayNode requested = node.putArray("events_requested");
      eventsRequested.forEach(requested::add);
    }
    node.put("description", description);
    node.put("status", status);
    node.put("reason", reason);
    node.putArray("subjects").addAll(subjects);
    node.put("created_at", createdAt.toString());
    return node.toString();
  }

  /**
   * @throws IllegalArgumentException when {@code text} is not a stored stream
   */
  public static StreamConfig fromStored(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      List<String> requested = null;
      if (n.hasNonNull("events_requested")) {
        requested = new ArrayList<>();
        for (JsonNode e : n.get("events_requested")) {
          requested.add(e.asText());
        }
      }
      List<JsonNode> subjects = new ArrayList<>();
      n.path("subjects").forEach(subjects::add);
      return new StreamConfig(
          n.get("stream_id").asText(),
          n.get("tenant").asText(),
          text(n, "owner"),
          text(n, "aud"),
          n.get("method").asText(),
          text(n, "endpoint_url"),
          text(n, "authorization_header"),
          requested,
          text(n, "description"),
          n.get("status").asText(),
          text(n, "reason"),
          subjects,
          Instant.parse(n.get("created_at").asText()));
    } catch (Exception e) {
      throw new IllegalArgumentException("not a stored SSF stream: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
