package dev.ledger.api.ssf.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.api.auth.Caller;
import dev.ledger.api.internal.Access;
import dev.ledger.api.internal.ApiError;
import dev.ledger.api.internal.Requirement;
import dev.ledger.api.ssf.SsfTransmitter;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The transmitter's HTTP side (SSF 1.0 sections 7 and 8, RFC 8936): discovery and keys (open),
 * stream management and polling (permission {@code ssf:manage}). A stream belongs to the tenant of
 * the credential that created it; a credential of another tenant gets 404 for it, as if it did not
 * exist.
 */
public final class SsfRoutes {
  public static final String DISCOVERY = "/.well-known/ssf-configuration";
  public static final String JWKS = "/ssf/jwks";
  public static final String STREAMS = "/ssf/streams";
  public static final String STATUS = "/ssf/status";
  public static final String ADD_SUBJECT = "/ssf/subjects/add";
  public static final String REMOVE_SUBJECT = "/ssf/subjects/remove";
  public static final String VERIFY = "/ssf/verify";
  public static final String POLL = "/ssf/poll/";
  private static final int DEFAULT_MAX_EVENTS = 100;
  private static final int MOST_EVENTS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SsfTransmitter ssf;

  private SsfRoutes(SsfTransmitter ssf) {
    this.ssf = ssf;
  }

  /**
   * Registers every route of the transmitter on {@code config}; with {@code ssf} null (no
   * transmitter in this process) each answers 503. GET routes answer HEAD too, with the same access
   * check.
   */
  public static void register(JavalinConfig config, SsfTransmitter ssf) {
    SsfRoutes r = new SsfRoutes(ssf);
    get(config, DISCOVERY, r.guard(r::discovery), Requirement.OPEN);
    get(config, JWKS, r.guard(r::jwks), Requirement.OPEN);
    config.routes.post(STREAMS, r.guard(r::create), Requirement.SSF_MANAGE);
    get(config, STREAMS, r.guard(r::read), Requirement.SSF_MANAGE);
    config.routes.patch(STREAMS, r.guard(r::update), Requirement.SSF_MANAGE);
    config.routes.put(STREAMS, r.guard(r::replace), Requirement.SSF_MANAGE);
    config.routes.delete(STREAMS, r.guard(r::delete), Requirement.SSF_MANAGE);
    get(config, STATUS, r.guard(r::status), Requirement.SSF_MANAGE);
    config.routes.post(STATUS, r.guard(r::setStatus), Requirement.SSF_MANAGE);
    config.routes.post(ADD_SUBJECT, r.guard(r::addSubject), Requirement.SSF_MANAGE);
    config.routes.post(REMOVE_SUBJECT, r.guard(r::removeSubject), Requirement.SSF_MANAGE);
    config.routes.post(VERIFY, r.guard(r::verify), Requirement.SSF_MANAGE);
    config.routes.post(POLL + "{stream_id}", r.guard(r::poll), Requirement.SSF_MANAGE);
  }

  private static void get(
      JavalinConfig config, String path, Handler handler, Requirement requirement) {
    config.routes.get(path, handler, requirement);
    config.routes.head(path, handler, requirement);
  }

  private Handler guard(Handler handler) {
    return ctx -> {
      if (ssf == null) {
        throw ApiError.unavailable("no Shared Signals transmitter runs in this process");
      }
      handler.handle(ctx);
    };
  }

  private String issuer() {
    return ssf.settings().issuerUrl();
  }

  private void discovery(Context ctx) {
    String iss = issuer();
    ObjectNode body = JSON.createObjectNode();
    body.put("spec_version", "1_0");
    body.put("issuer", iss);
    body.put("jwks_uri", iss + JWKS);
    body.putArray("delivery_methods_supported").add(SetEvents.PUSH).add(SetEvents.POLL);
    body.put("configuration_endpoint", iss + STREAMS);
    body.put("status_endpoint", iss + STATUS);
    body.put("add_subject_endpoint", iss + ADD_SUBJECT);
    body.put("remove_subject_endpoint", iss + REMOVE_SUBJECT);
    body.put("verification_endpoint", iss + VERIFY);
    body.putArray("authorization_schemes").addObject().put("spec_urn", "urn:ietf:rfc:6749");
    body.put("default_subjects", ssf.settings().defaultSubjects());
    json(ctx, 200, body);
  }

  private void jwks(Context ctx) {
    ctx.contentType("application/jwk-set+json").result(ssf.publicKeys().toString());
  }

  private void create(Context ctx) {
    Caller caller = Access.caller(ctx);
    String tenant = Access.readTenant(ctx, false);
    ReceiverValues values = receiverValues(object(ctx), null);
    long owned = ssf.store().all().stream().filter(s -> caller.keyId().equals(s.owner())).count();
    int most = ssf.settings().maxStreamsPerReceiver();
    if (owned >= most) {
      // SSF 1.0 section 8.1.1.1: a transmitter that does not support (more) streams per receiver
      // answers 409; the receiver may then read and update the stream it has.
      throw new ApiError(
          409,
          "conflict",
          most == 1
              ? "this receiver already has a stream, and this transmitter supports one stream per"
                  + " receiver: read it, and PATCH or PUT it to change it"
              : "this receiver already has " + owned + " streams, the most it may have",
          null,
          Map.of());
    }
    String id = UUID.randomUUID().toString();
    StreamConfig stream =
        StreamConfig.created(id, tenant, caller.keyId(), Instant.now()).withReceiverValues(values);
    ssf.deliveries().prepare(stream);
    ssf.store().put(stream);
    json(ctx, 201, wire(stream));
  }

  private void read(Context ctx) {
    String id = ctx.queryParam("stream_id");
    if (id != null) {
      json(ctx, 200, wire(find(ctx, id)));
      return;
    }
    ArrayNode list = JSON.createArrayNode();
    ssf.store().list(Access.readTenant(ctx, true)).forEach(s -> list.add(wire(s)));
    json(ctx, 200, list);
  }

  private void update(Context ctx) {
    change(ctx, false);
  }

  private void replace(Context ctx) {
    change(ctx, true);
  }

  /**
   * PATCH changes what the body names; PUT sets every receiver-supplied value, absent ones to their
   * defaults.
   */
  private void change(Context ctx, boolean replace) {
    JsonNode body = object(ctx);
    StreamConfig stream = find(ctx, requiredId(body));
    ObjectNode current = wire(stream);
    List<Map<String, String>> problems = new ArrayList<>();
    for (String member : ReceiverValues.TRANSMITTER_SUPPLIED) {
      if (body.has(member) && !body.get(member).equals(current.get(member))) {
        problems.add(
            Map.of(
                "field",
                member,
                "reason",
                "transmitter-supplied: it must be left out or equal " + current.get(member)));
      }
    }
    if (!problems.isEmpty()) {
      throw ApiError.badRequest("a transmitter-supplied value differs", problems);
    }
    StreamConfig changed =
        stream.withReceiverValues(receiverValues(body, replace ? null : ReceiverValues.of(stream)));
    ssf.store().put(changed);
    json(ctx, 200, wire(changed));
  }

  private void delete(Context ctx) {
    String id = ctx.queryParam("stream_id");
    if (id == null || id.isBlank()) {
      throw ApiError.badParameter("stream_id", "required");
    }
    find(ctx, id);
    ssf.store().delete(id);
    ctx.status(204);
  }

  private void status(Context ctx) {
    String id = ctx.queryParam("stream_id");
    if (id == null || id.isBlank()) {
      throw ApiError.badParameter("stream_id", "required");
    }
    StreamConfig stream = find(ctx, id);
    ObjectNode body = statusBody(stream);
    if (stream.push()) {
      // Counted by the instance that pushes, which publishes them every second; another answers
      // what it last published, and says it does not push.
      ObjectNode delivery =
          JSON.valueToTree(ssf.deliveries().pushState(id).orElseGet(PushState::new).describe());
      delivery.put("pushed_here", ssf.deliveries().transmits(id));
      body.set("delivery", delivery);
    }
    ssf.deliveries().cursor(id).ifPresent(c -> body.put("pending", c.pendingCount()));
    json(ctx, 200, body);
  }

  private void setStatus(Context ctx) {
    JsonNode body = object(ctx);
    StreamConfig stream = find(ctx, requiredId(body));
    JsonNode status = body.get("status");
    if (status == null || !status.isTextual() || !SetEvents.STATUSES.contains(status.asText())) {
      throw ApiError.badRequest(
          "invalid status",
          List.of(Map.of("field", "status", "reason", "expected one of " + SetEvents.STATUSES)));
    }
    JsonNode reason = body.get("reason");
    if (reason != null && !reason.isNull() && !reason.isTextual()) {
      throw ApiError.badRequest(
          "invalid reason", List.of(Map.of("field", "reason", "reason", "expected a string")));
    }
    StreamConfig changed =
        stream.withStatus(
            status.asText(), reason == null || reason.isNull() ? null : reason.asText());
    ssf.store().put(changed);
    if (!Access.caller(ctx).keyId().equals(stream.owner())
        && !stream.status().equals(changed.status())) {
      // Changed by someone other than the receiver (an operator): the receiver hears of it (section
      // 8.1.5).
      ssf.deliveries().streamUpdated(changed);
    }
    json(ctx, 200, statusBody(changed));
  }

  private void addSubject(Context ctx) {
    JsonNode body = object(ctx);
    StreamConfig stream = find(ctx, requiredId(body));
    JsonNode subject = subject(body);
    JsonNode verified = body.get("verified");
    if (verified != null && !verified.isBoolean()) {
      throw ApiError.badRequest(
          "invalid verified", List.of(Map.of("field", "verified", "reason", "expected a boolean")));
    }
    if (!stream.subjects().contains(subject)) {
      List<JsonNode> subjects = new ArrayList<>(stream.subjects());
      subjects.add(subject);
      ssf.store().put(stream.withSubjects(subjects));
    }
    ctx.status(200);
  }

  private void removeSubject(Context ctx) {
    JsonNode body = object(ctx);
    StreamConfig stream = find(ctx, requiredId(body));
    JsonNode subject = subject(body);
    if (stream.subjects().contains(subject)) {
      List<JsonNode> subjects = new ArrayList<>(stream.subjects());
      subjects.remove(subject);
      ssf.store().put(stream.withSubjects(subjects));
    }
    ctx.status(204);
  }

  private void verify(Context ctx) {
    JsonNode body = object(ctx);
    StreamConfig stream = find(ctx, requiredId(body));
    JsonNode state = body.get("state");
    if (state != null && !state.isNull() && !state.isTextual()) {
      throw ApiError.badRequest(
          "invalid state", List.of(Map.of("field", "state", "reason", "expected a string")));
    }
    Optional<Duration> tooSoon =
        ssf.deliveries().activity().verificationRequested(stream.streamId());
    if (tooSoon.isPresent()) {
      long seconds = Math.max(1, (tooSoon.get().toMillis() + 999) / 1000);
      throw new ApiError(
          429,
          "too_many_requests",
          "a verification of stream "
              + stream.streamId()
              + " was requested less than min_verification_interval ago",
          null,
          Map.of("Retry-After", Long.toString(seconds)));
    }
    ssf.deliveries().verify(stream, state == null || state.isNull() ? null : state.asText());
    ctx.status(204);
  }

  /**
   * RFC 8936: acknowledge {@code ack} and {@code setErrs}, then hand out up to {@code maxEvents}
   * SETs.
   */
  private void poll(Context ctx) throws InterruptedException {
    StreamConfig stream = find(ctx, ctx.pathParam("stream_id"));
    if (stream.push()) {
      throw ApiError.badRequest(
          "stream " + stream.streamId() + " delivers by push, not poll", null);
    }
    JsonNode body = ctx.body().isBlank() ? JSON.createObjectNode() : object(ctx);
    List<Map<String, String>> problems = new ArrayList<>();
    int max = DEFAULT_MAX_EVENTS;
    if (body.has("maxEvents")) {
      JsonNode m = body.get("maxEvents");
      if (!m.canConvertToInt() || !m.isIntegralNumber() || m.asInt() < 0) {
        problems.add(Map.of("field", "maxEvents", "reason", "expected a non-negative integer"));
      } else {
        max = Math.min(m.asInt(), MOST_EVENTS);
      }
    }
    boolean immediately = false;
    if (body.has("returnImmediately")) {
      if (!body.get("returnImmediately").isBoolean()) {
        problems.add(Map.of("field", "returnImmediately", "reason", "expected a boolean"));
      } else {
        immediately = body.get("returnImmediately").asBoolean();
      }
    }
    List<String> acks = new ArrayList<>();
    if (body.has("ack")) {
      if (!body.get("ack").isArray()) {
        problems.add(Map.of("field", "ack", "reason", "expected an array of jti"));
      } else {
        body.get("ack").forEach(j -> acks.add(j.asText()));
      }
    }
    if (body.has("setErrs")) {
      if (!body.get("setErrs").isObject()) {
        problems.add(
            Map.of(
                "field", "setErrs", "reason", "expected an object of jti to {err, description}"));
      } else {
        // A SET the receiver could not process is answered for: it is not handed out again.
        body.get("setErrs").fieldNames().forEachRemaining(acks::add);
      }
    }
    if (!problems.isEmpty()) {
      throw ApiError.badRequest("invalid poll request", problems);
    }
    StreamCursor cursor =
        ssf.deliveries()
            .cursor(stream.streamId())
            .orElseThrow(() -> ApiError.notFound("no stream " + stream.streamId()));
    // Another instance may have handed out and had acknowledged SETs of this stream since.
    cursor.refresh();
    ssf.deliveries().ack(cursor, acks);
    List<PendingSet> sets = List.of();
    if (max > 0) {
      long deadline = System.nanoTime() + ssf.settings().maxLongPoll().toNanos();
      do {
        sets = cursor.fetch(max, Duration.ofMillis(100));
        if (sets.isEmpty() && !immediately && "paused".equals(cursor.stream().status())) {
          Thread.sleep(100);
        }
      } while (sets.isEmpty() && !immediately && System.nanoTime() < deadline);
    }
    ObjectNode answer = JSON.createObjectNode();
    ObjectNode out = answer.putObject("sets");
    sets.forEach(p -> out.put(p.jti(), p.set()));
    answer.put("moreAvailable", cursor.backlog() > sets.size());
    json(ctx, 200, answer);
  }

  private ObjectNode wire(StreamConfig stream) {
    ObjectNode node = stream.toWire(issuer(), issuer() + POLL + stream.streamId());
    ReceiverActivity activity = ssf.deliveries().activity();
    if (activity.minVerificationIntervalSeconds() != null) {
      node.put("min_verification_interval", activity.minVerificationIntervalSeconds());
    }
    if (activity.inactivityTimeoutSeconds() != null) {
      node.put("inactivity_timeout", activity.inactivityTimeoutSeconds());
    }
    return node;
  }

  private static ObjectNode statusBody(StreamConfig stream) {
    ObjectNode body = JSON.createObjectNode();
    body.put("stream_id", stream.streamId());
    body.put("status", stream.status());
    if (stream.reason() != null) {
      body.put("reason", stream.reason());
    }
    return body;
  }

  /**
   * Finds the stream a request names; a request of its receiver counts as the receiver's activity.
   *
   * @throws ApiError 404 when there is no such stream, or it belongs to a tenant the caller may not
   *     see
   */
  private StreamConfig find(Context ctx, String id) {
    Caller caller = Access.caller(ctx);
    StreamConfig stream =
        ssf.store()
            .get(id)
            .filter(s -> caller.allTenants() || s.tenant().equals(caller.tenant()))
            .orElseThrow(() -> ApiError.notFound("no stream " + id));
    if (caller.keyId().equals(stream.owner())) {
      ssf.deliveries().activity().touch(id);
    }
    return stream;
  }

  private static ReceiverValues receiverValues(JsonNode body, ReceiverValues base) {
    ReceiverValues.Parsed parsed = ReceiverValues.parse(body, base);
    if (!parsed.problems().isEmpty()) {
      List<Map<String, String>> details = new ArrayList<>();
      parsed
          .problems()
          .forEach((field, reason) -> details.add(Map.of("field", field, "reason", reason)));
      throw ApiError.badRequest("invalid stream configuration", details);
    }
    return parsed.values();
  }

  private static String requiredId(JsonNode body) {
    JsonNode id = body.get("stream_id");
    if (id == null || !id.isTextual() || id.asText().isBlank()) {
      throw ApiError.badRequest(
          "stream_id is required", List.of(Map.of("field", "stream_id", "reason", "required")));
    }
    return id.asText();
  }

  private static JsonNode subject(JsonNode body) {
    JsonNode subject = body.get("subject");
    if (subject == null || !subject.isObject() || !subject.path("format").isTextual()) {
      throw ApiError.badRequest(
          "invalid subject",
          List.of(
              Map.of(
                  "field",
                  "subject",
                  "reason",
                  "expected a subject identifier object with a format (RFC 9493)")));
    }
    return subject;
  }

  private static JsonNode object(Context ctx) {
    JsonNode body;
    try {
      body = JSON.readTree(ctx.body());
    } catch (Exception e) {
      throw ApiError.badRequest("malformed JSON body", null);
    }
    if (body == null || !body.isObject()) {
      throw ApiError.badRequest("the body must be a JSON object", null);
    }
    return body;
  }

  private static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status)
        .header("Cache-Control", "no-store")
        .contentType("application/json")
        .result(body.toString());
  }
}
