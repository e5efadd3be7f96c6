package dev.ledger.export.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.schemas.EventType;
import java.time.Instant;
import java.util.Locale;

/**
 * Maps an audit record to an OCSF 1.8.0 event, the newest release (docs/exports.md lists every
 * field), valid against that release's own schema files (tested with them): {@code token.issued}
 * and {@code token.exchanged} become Authentication (3002: Authentication Ticket, Service Ticket
 * Request), {@code token.used} API Activity (6003, activity from the HTTP verb of the action),
 * {@code token.attenuated}, {@code token.revoked} and anything else Authorize Session (3003,
 * Other). OCSF 1.8.0 has no object for a delegation chain (a {@code delegation} object is proposed,
 * OCSF issue 1640, not released), so the chain goes to {@code unmapped.delegation} with the
 * proposal's field names ({@code uid}, {@code parent_uid}) and the hops; every other ledger field
 * with no OCSF home goes to {@code unmapped} too, among them {@code txn} and {@code acti} (a
 * Transaction Token's transaction and workflow ids).
 *
 * <p>{@code metadata.uid} is the event's identity ({@link #uid}), unique across tenants and tokens;
 * the {@code event_id} alone is {@code unmapped.event_id}. An amendment (a re-judged use) is an
 * event of the same class with {@code metadata.uid} {@code <uid>/amends/<leaf>} (the original keeps
 * {@code <uid>}), {@code unmapped.amends} (added, removed, cause, amended_at) and {@code
 * unmapped.amends_event_id}; its violations are the kinds it adds.
 */
public final class OcsfMapper {

  /** The OCSF schema version the events claim. */
  public static final String OCSF_VERSION = "1.8.0";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private OcsfMapper() {}

  /**
   * The OCSF event for {@code record}, leaf {@code leaf} of its log, committed at {@code
   * committedAt}.
   */
  public static ObjectNode map(JsonNode record, long leaf, String committedAt) {
    String type = text(record, "type");
    ObjectNode e = JSON.objectNode();
    EventClass cls = EventClass.of(type, text(record, "action"));
    e.put("category_uid", cls.categoryUid);
    e.put("category_name", cls.categoryName);
    e.put("class_uid", cls.classUid);
    e.put("class_name", cls.className);
    e.put("activity_id", cls.activityId);
    e.put("activity_name", cls.activityName);
    e.put("type_uid", cls.classUid * 100L + cls.activityId);
    e.put("type_name", cls.className + ": " + cls.activityName);
    e.put("time", Instant.parse(text(record, "occurred_at")).toEpochMilli());
    boolean violated = record.path("violations").size() > 0;
    e.put("severity_id", violated ? 4 : 1);
    e.put("severity", violated ? "High" : "Informational");
    boolean denied = "denied".equals(text(record, "outcome"));
    e.put("status_id", denied ? 2 : 1);
    e.put("status", denied ? "Failure" : "Success");
    putIfPresent(e, "status_detail", text(record, "reason"));
    boolean amendment = AuditRecordJson.isAmendment(record);
    e.put(
        "message",
        (amendment ? "amendment of the verdict on " : "")
            + type
            + " of "
            + text(record, "token_id"));
    e.set("metadata", metadata(record, committedAt));
    if (amendment) {
      ((ObjectNode) e.get("metadata")).put("uid", uid(record) + "/amends/" + leaf);
    }
    String holder = text(record, "actor");
    // An empty actor object is invalid (OCSF wants one of its parts); API Activity requires one.
    if (holder != null || cls.classUid == 6003) {
      e.putObject("actor").set("user", user(orUnknown(holder)));
    }
    String principal = text(record, "principal");
    switch (cls) {
      case AUTH_TICKET, SERVICE_TICKET -> {
        e.set("user", user(principal != null ? principal : holder != null ? holder : "unknown"));
        e.put("auth_protocol_id", 6);
        e.put("auth_protocol", "OAUTH 2.0");
        if (text(record, "source") != null) {
          e.putObject("src_endpoint").put("svc_name", text(record, "source"));
        }
      }
      case API_CREATE, API_READ, API_UPDATE, API_DELETE, API_OTHER -> {
        ObjectNode api = e.putObject("api");
        api.put("operation", orUnknown(text(record, "action")));
        if (text(record, "resource") != null) {
          api.putObject("service").put("name", text(record, "resource"));
        }
        if (text(record, "request_id") != null) {
          api.putObject("request").put("uid", text(record, "request_id"));
        }
        e.putObject("src_endpoint").put("name", orUnknown(holder));
        if (text(record, "resource") != null) {
          e.putObject("dst_endpoint").put("svc_name", text(record, "resource"));
          e.putArray("resources")
              .addObject()
              .put("name", text(record, "resource"))
              .put("type", "api");
        }
      }
      default ->
          e.set("user", user(principal != null ? principal : holder != null ? holder : "unknown"));
    }
    e.set("unmapped", unmapped(record, leaf, committedAt));
    return e;
  }

  private static ObjectNode metadata(JsonNode record, String committedAt) {
    ObjectNode m = JSON.objectNode();
    m.put("version", OCSF_VERSION);
    ObjectNode product = m.putObject("product");
    product.put("name", "ledger");
    product.put("vendor_name", "ledger");
    m.put("uid", uid(record));
    m.put("original_time", text(record, "occurred_at"));
    m.put("logged_time", Instant.parse(committedAt).toEpochMilli());
    putIfPresent(m, "correlation_uid", text(record, "root_id"));
    putIfPresent(m, "tenant_uid", text(record, "tenant"));
    return m;
  }

  /**
   * The {@code metadata.uid} of {@code record}'s event: its identity (CONTRACT.md section 1, since
   * v1.10: tenant, {@code token_id}, {@code event_id}) as {@code <tenant>/<token_id>/<event_id>},
   * with {@code %} and {@code /} in each part percent-encoded. Ids may contain {@code /}, so
   * without the encoding token {@code a/b} with event {@code c} and token {@code a} with event
   * {@code b/c} would share a uid; with it, two events share a uid only when they are the same
   * event, and an amendment's {@code /amends/<leaf>} suffix cannot be mistaken for a part.
   */
  public static String uid(JsonNode record) {
    return uidPart(text(record, "tenant"))
        + "/"
        + uidPart(text(record, "token_id"))
        + "/"
        + uidPart(text(record, "event_id"));
  }

  private static String uidPart(String part) {
    return String.valueOf(part).replace("%", "%25").replace("/", "%2F");
  }

  /**
   * The chain, named as OCSF's proposed {@code delegation} object names it ({@code uid}, {@code
   * parent_uid}), plus its hops.
   */
  private static ObjectNode delegation(JsonNode record) {
    ObjectNode chain = JSON.objectNode();
    chain.put("uid", text(record, "token_id"));
    putIfPresent(chain, "parent_uid", text(record, "parent_id"));
    putIfPresent(chain, "root_uid", text(record, "root_id"));
    putIfPresent(chain, "principal", text(record, "principal"));
    ArrayNode hops = chain.putArray("hops");
    for (JsonNode hop : record.path("chain")) {
      ObjectNode h = hops.addObject();
      h.put("uid", text(hop, "token_id"));
      putIfPresent(h, "actor", text(hop, "actor"));
      h.put("via", text(hop, "via"));
    }
    chain.put("depth", Math.max(0, hops.size() - 1));
    return chain;
  }

  private static ObjectNode unmapped(JsonNode record, long leaf, String committedAt) {
    ObjectNode u = JSON.objectNode();
    u.put("tenant", text(record, "tenant"));
    u.put("token_id", text(record, "token_id"));
    u.put("event_id", text(record, "event_id"));
    u.put("event_type", text(record, "type"));
    putIfPresent(u, "parent_id", text(record, "parent_id"));
    putIfPresent(u, "outcome", text(record, "outcome"));
    u.set("violations", record.path("violations").deepCopy());
    u.set(
        "attributes",
        record.path("attributes").isObject()
            ? record.get("attributes").deepCopy()
            : JSON.objectNode());
    u.set("delegation", delegation(record));
    // OCSF 1.8.0 has no attribute for a Transaction Token's transaction or an actor-chain workflow
    // in these classes.
    putIfPresent(u, "txn", text(record, "txn"));
    putIfPresent(u, "acti", text(record, "acti"));
    u.put("leaf_index", leaf);
    u.put("committed_at", committedAt);
    if (AuditRecordJson.isAmendment(record)) {
      u.put("amends_event_id", text(record, "event_id"));
      u.set("amends", record.get("amends").deepCopy());
    }
    return u;
  }

  private static ObjectNode user(String name) {
    ObjectNode u = JSON.objectNode();
    u.put("uid", name);
    u.put("name", name);
    return u;
  }

  private static String orUnknown(String s) {
    return s == null ? "unknown" : s;
  }

  private static String text(JsonNode node, String field) {
    return AuditRecordJson.text(node, field);
  }

  private static void putIfPresent(ObjectNode o, String name, String value) {
    if (value != null) {
      o.put(name, value);
    }
  }

  /** The OCSF class and activity of each kind of audit record. */
  enum EventClass {
    AUTH_TICKET(
        3, "Identity & Access Management", 3002, "Authentication", 3, "Authentication Ticket"),
    SERVICE_TICKET(
        3, "Identity & Access Management", 3002, "Authentication", 4, "Service Ticket Request"),
    ATTENUATE(3, "Identity & Access Management", 3003, "Authorize Session", 99, "Attenuate"),
    REVOKE(3, "Identity & Access Management", 3003, "Authorize Session", 99, "Revoke"),
    OTHER(3, "Identity & Access Management", 3003, "Authorize Session", 99, "Other"),
    API_CREATE(6, "Application Activity", 6003, "API Activity", 1, "Create"),
    API_READ(6, "Application Activity", 6003, "API Activity", 2, "Read"),
    API_UPDATE(6, "Application Activity", 6003, "API Activity", 3, "Update"),
    API_DELETE(6, "Application Activity", 6003, "API Activity", 4, "Delete"),
    API_OTHER(6, "Application Activity", 6003, "API Activity", 99, "Other");

    final int categoryUid;
    final String categoryName;
    final int classUid;
    final String className;
    final int activityId;
    final String activityName;

    EventClass(
        int categoryUid,
        String categoryName,
        int classUid,
        String className,
        int activityId,
        String activityName) {
      this.categoryUid = categoryUid;
      this.categoryName = categoryName;
      this.classUid = classUid;
      this.className = className;
      this.activityId = activityId;
      this.activityName = activityName;
    }

    static EventClass of(String type, String action) {
      return switch (type == null ? "" : type) {
        case EventType.Names.ISSUED -> AUTH_TICKET;
        case EventType.Names.EXCHANGED -> SERVICE_TICKET;
        case EventType.Names.ATTENUATED -> ATTENUATE;
        case EventType.Names.REVOKED -> REVOKE;
        case EventType.Names.USED -> api(action);
        default -> OTHER;
      };
    }

    private static EventClass api(String action) {
      String verb =
          action == null ? "" : action.strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
      return switch (verb) {
        case "POST" -> API_CREATE;
        case "GET", "HEAD" -> API_READ;
        case "PUT", "PATCH" -> API_UPDATE;
        case "DELETE" -> API_DELETE;
        default -> API_OTHER;
      };
    }
  }
}
