package dev.ledger.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.ops.client.ApiClient;
import dev.ledger.ops.client.ApiException;
import dev.ledger.runtime.config.ConfigKey;
import dev.ledger.schemas.EventType;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The auditor's commands: they read and write through the HTTP API only, like any other client. */
final class AuditorCommands {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditorCommands() {}

  /** Shared plumbing: client options, output, and tenant on every request. */
  abstract static class Base implements Runnable {
    @Mixin ClientOptions client;

    @Spec CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    Map<String, String> query() {
      Map<String, String> q = new LinkedHashMap<>();
      q.put("tenant", client.tenant());
      return q;
    }

    @Override
    public final void run() {
      try {
        execute(client.client());
      } catch (ApiException e) {
        throw new UserException(e.getMessage(), e.status() == 404 ? 3 : 2);
      }
      out().flush();
    }

    abstract void execute(ApiClient api);

    /** Pages through a list endpoint and prints one JSON object per line, or an aligned table. */
    void printList(
        ApiClient api,
        String path,
        Map<String, String> query,
        int limit,
        boolean json,
        String[] header,
        java.util.function.Function<JsonNode, String[]> row) {
      List<String[]> rows = new ArrayList<>();
      rows.add(header);
      Pager.each(
          api,
          path,
          query,
          limit,
          item -> {
            if (json) {
              out().println(Render.safe(item.toString()));
            } else {
              rows.add(row.apply(item));
            }
          });
      if (!json) {
        Render.table(out(), rows);
      }
    }
  }

  @Command(
      name = "token",
      description =
          "Show a token's chain as a tree: principal, each hop's actor, rights, status, violations.")
  static final class Token extends Base {
    @Parameters(paramLabel = "TOKEN_ID")
    String id;

    @Option(names = "--json", description = "print the API's JSON")
    boolean json;

    @Option(
        names = "--at",
        description = "as it stood at this time (RFC 3339, or a duration back from now: 30m)")
    String at;

    @Option(names = "--known-at", description = "as the ledger knew it at this time (record time)")
    String knownAt;

    @Override
    Map<String, String> query() {
      Map<String, String> q = super.query();
      pointInTime(q, at, knownAt);
      return q;
    }

    @Override
    void execute(ApiClient api) {
      JsonNode token = api.get("/v1/tokens/" + ApiClient.enc(id), query());
      if (json) {
        out().println(Render.safeLines(token.toPrettyString()));
        return;
      }
      List<JsonNode> hops = new ArrayList<>();
      for (JsonNode hop : token.path("chain")) {
        String hopId = hop.path("token_id").asText();
        hops.add(hopId.equals(id) ? token : fetchOrNull(api, hopId));
      }
      Render.tokenTree(out(), token, hops);
    }

    private JsonNode fetchOrNull(ApiClient api, String hopId) {
      try {
        return api.get("/v1/tokens/" + ApiClient.enc(hopId), query());
      } catch (ApiException e) {
        return null;
      }
    }
  }

  @Command(
      name = "descendants",
      description = "List every token derived from a token, at any depth.")
  static final class Descendants extends Base {
    @Parameters(paramLabel = "TOKEN_ID")
    String id;

    @Option(names = "--json", description = "one JSON token per line")
    boolean json;

    @Option(
        names = "--limit",
        defaultValue = "1000",
        description = "at most this many (default: 1000)")
    int limit;

    @Override
    void execute(ApiClient api) {
      printList(
          api,
          "/v1/tokens/" + ApiClient.enc(id) + "/descendants",
          query(),
          limit,
          json,
          new String[] {"TOKEN", "DEPTH", "ACTOR", "STATUS", "SCOPES", "VIOLATIONS"},
          t ->
              new String[] {
                Render.text(t, "token_id"),
                Render.text(t, "depth"),
                Render.text(t, "actor"),
                Render.text(t, "status"),
                Render.text(t, "scopes"),
                Render.text(t, "violations")
              });
    }
  }

  /**
   * Adds {@code at} and {@code known_at} to {@code query} from {@code --at} and {@code --known-at},
   * when given.
   */
  static void pointInTime(Map<String, String> query, String at, String knownAt) {
    query.put("at", at == null ? null : timeArg("--at", at).toString());
    query.put("known_at", knownAt == null ? null : timeArg("--known-at", knownAt).toString());
  }

  @Command(
      name = "authority",
      description =
          "Every token an actor held (or held for a principal) that was in force at a "
              + "time: issued, not expired, neither it nor an ancestor revoked.")
  static final class Authority extends Base {
    @Option(names = "--actor", description = "the holder")
    String actor;

    @Option(names = "--principal", description = "on whose behalf")
    String principal;

    @Option(names = "--scope", description = "only tokens with this effective scope")
    String scope;

    @Option(names = "--audience", description = "only tokens with this effective audience")
    String audience;

    @Option(
        names = "--at",
        required = true,
        description = "valid time (RFC 3339, or a duration back from now: 30m)")
    String at;

    @Option(names = "--known-at", description = "as the ledger knew it at this time (record time)")
    String knownAt;

    @Option(
        names = "--limit",
        defaultValue = "1000",
        description = "at most this many (default: 1000)")
    int limit;

    @Option(names = "--json", description = "one JSON item per line")
    boolean json;

    @Override
    void execute(ApiClient api) {
      if (actor == null && principal == null) {
        throw new UserException("give --actor, --principal or both");
      }
      Map<String, String> query = query();
      query.put("actor", actor);
      query.put("principal", principal);
      query.put("scope", scope);
      query.put("audience", audience);
      pointInTime(query, at, knownAt);
      printList(
          api,
          "/v1/authority",
          query,
          limit,
          json,
          new String[] {
            "TOKEN",
            "PRINCIPAL",
            "HOLDER",
            "CHAIN",
            "SCOPES",
            "AUDIENCE",
            "EXPIRES",
            "USES",
            "IN FORCE FROM"
          },
          t ->
              new String[] {
                Render.text(t, "token_id"),
                Render.text(t, "principal"),
                Render.text(t, "actor"),
                chain(t),
                Render.text(t, "scopes"),
                Render.text(t, "audience"),
                Render.text(t, "expires_at"),
                Render.text(t, "uses")
                    + (t.path("max_uses").isNull() ? "" : "/" + Render.text(t, "max_uses")),
                Render.text(t, "in_force_from")
              });
    }

    private static String chain(JsonNode t) {
      List<String> hops = new ArrayList<>();
      // Ids only: a table cell is cut at 50 characters; --json (or ledger token) has each hop's
      // actor and via.
      t.path("chain").forEach(h -> hops.add(Render.text(h, "token_id")));
      return String.join(" > ", hops);
    }
  }

  @Command(
      name = "history",
      description =
          "A token's transitions in event-time order: issued, uses, revocations (its "
              + "own or an ancestor's), expiry, violations; each with when it happened and when the ledger recorded it.")
  static final class History extends Base {
    @Parameters(paramLabel = "TOKEN_ID")
    String id;

    @Option(names = "--json", description = "one JSON transition per line")
    boolean json;

    @Option(
        names = "--limit",
        defaultValue = "10000",
        description = "at most this many events (default: 10000)")
    int limit;

    @Override
    void execute(ApiClient api) {
      printList(
          api,
          "/v1/tokens/" + ApiClient.enc(id) + "/history",
          query(),
          limit,
          json,
          new String[] {"OCCURRED", "RECORDED", "TRANSITION", "TOKEN", "EVENT", "DETAIL"},
          t ->
              new String[] {
                Render.text(t, "occurred_at"),
                Render.text(t, "recorded_at"),
                Render.text(t, "transition"),
                Render.text(t, "token_id"),
                Render.text(t, "event_id"),
                detail(t)
              });
    }

    private static String detail(JsonNode t) {
      return switch (t.path("transition").asText()) {
        case "violation" -> Render.text(t, "violation");
        case "used" -> Render.text(t, "action") + " " + Render.text(t, "outcome");
        case "revoked" -> t.path("reason").isNull() ? "-" : Render.text(t, "reason");
        default -> "-";
      };
    }
  }

  @Command(name = "audit", description = "Search audit records (newest first).")
  static final class Audit extends Base {
    @Option(names = "--principal")
    String principal;

    @Option(names = "--actor", description = "matches any hop of the chain")
    String actor;

    @Option(names = "--token")
    String token;

    @Option(names = "--resource")
    String resource;

    @Option(names = "--action")
    String action;

    @Option(names = "--outcome")
    String outcome;

    @Option(names = "--type")
    String type;

    @Option(names = "--violation")
    String violation;

    @Option(names = "--since", description = "a duration back from now (30m, 1h, 7d) or a time")
    String since;

    @Option(names = "--until", description = "a time (RFC 3339)")
    String until;

    @Option(names = "--q", description = "Lucene query syntax")
    String q;

    @Option(
        names = "--txn",
        description =
            "a transaction id (Transaction Token txn): the whole transaction, every service")
    String txn;

    @Option(names = "--acti", description = "an actor-chain workflow id (acti)")
    String acti;

    @Option(names = "--limit", defaultValue = "100")
    int limit;

    @Option(names = "--json", description = "one JSON record per line")
    boolean json;

    @Override
    void execute(ApiClient api) {
      Map<String, String> query = query();
      query.put("principal", principal);
      query.put("actor", actor);
      query.put("token", token);
      query.put("resource", resource);
      query.put("action", action);
      query.put("outcome", outcome);
      query.put("type", type);
      query.put("violation", violation);
      query.put("from", since == null ? null : timeArg("--since", since).toString());
      query.put("to", until == null ? null : timeArg("--until", until).toString());
      query.put("q", q);
      query.put("txn", txn);
      query.put("acti", acti);
      printList(
          api,
          "/v1/audit",
          query,
          limit,
          json,
          new String[] {
            "OCCURRED", "TYPE", "TOKEN", "PRINCIPAL", "ACTOR", "ACTION", "OUTCOME", "VIOLATIONS"
          },
          AuditorCommands::auditRow);
    }
  }

  static String[] auditRow(JsonNode r) {
    return new String[] {
      Render.text(r, "occurred_at"),
      Render.text(r, "type"),
      Render.text(r, "token_id"),
      Render.text(r, "principal"),
      Render.text(r, "actor"),
      Render.text(r, "action"),
      Render.text(r, "outcome"),
      Render.text(r, "violations")
    };
  }

  /** {@code 1h}, {@code 30m}, {@code 7d} back from now, or an RFC 3339 time. */
  static Instant timeArg(String option, String value) {
    try {
      return Instant.now().minus(ConfigKey.Type.parseDuration(value));
    } catch (IllegalArgumentException notADuration) {
      try {
        return java.time.OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        throw new UserException(
            option + " takes a duration like 1h or a time like 2026-11-20T09:00:00Z, not " + value);
      }
    }
  }

  @Command(
      name = "tail",
      description = "Follow new audit records and alerts as they arrive (Ctrl-C to stop).")
  static final class Tail extends Base {
    @Option(names = "--interval", defaultValue = "1s", description = "poll interval (default: 1s)")
    String interval;

    @Option(names = "--json", description = "one JSON object per line")
    boolean json;

    @Option(names = "--count", description = "stop after this many lines (default: never)")
    Integer count;

    @Override
    void execute(ApiClient api) {
      Duration every = ConfigKey.Type.parseDuration(interval);
      // Remember what was shown; the newest page is re-read each time and only unseen items
      // printed.
      Set<String> seen = new LinkedHashSet<>();
      boolean first = true;
      int printed = 0;
      while (count == null || printed < count) {
        List<String> lines = new ArrayList<>();
        for (String kind : List.of("audit", "alerts")) {
          Map<String, String> q = query();
          q.put("limit", "100");
          JsonNode page = api.get("/v1/" + kind, q);
          List<JsonNode> items = new ArrayList<>();
          page.path("items").forEach(items::add);
          for (int i = items.size() - 1; i >= 0; i--) {
            JsonNode item = items.get(i);
            String id =
                kind
                    + ":"
                    + (kind.equals("audit")
                        ? item.path("event_id").asText()
                        : item.path("alert_id").asText());
            if (seen.add(id) && !first) {
              lines.add(
                  json
                      ? Render.safe(item.toString())
                      : kind.equals("audit")
                          ? "audit  " + String.join("  ", auditRow(item))
                          : "ALERT  "
                              + Render.text(item, "occurred_at")
                              + "  "
                              + Render.text(item, "kind")
                              + "  "
                              + Render.text(item, "token_id")
                              + "  "
                              + Render.text(item, "message"));
            }
          }
        }
        for (String line : lines) {
          if (count != null && printed >= count) {
            break;
          }
          out().println(line);
          printed++;
        }
        out().flush();
        first = false;
        trim(seen);
        if (count != null && printed >= count) {
          break;
        }
        try {
          Thread.sleep(every.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private static void trim(Set<String> seen) {
      var it = seen.iterator();
      while (seen.size() > 10_000 && it.hasNext()) {
        it.next();
        it.remove();
      }
    }
  }

  @Command(name = "revoke", description = "Revoke a token (and so every token derived from it).")
  static final class Revoke extends Base {
    @Parameters(paramLabel = "TOKEN_ID")
    String id;

    @Option(names = "--reason", description = "why, for the audit trail")
    String reason;

    @Option(names = "--by", description = "who revokes (default: cli:$USER)")
    String by;

    @Override
    void execute(ApiClient api) {
      ObjectNode event = JSON.createObjectNode();
      event.put("event_id", "cli-revoke-" + UUID.randomUUID());
      event.put("type", EventType.REVOKED.wireName());
      event.put("occurred_at", Instant.now().toString());
      event.put("tenant", client.tenant() == null ? "default" : client.tenant());
      event.put("source", "ledger-cli");
      ObjectNode revocation = event.putObject("revocation");
      revocation.put("token_id", id);
      if (reason != null) {
        revocation.put("reason", reason);
      }
      revocation.put(
          "revoked_by", by != null ? by : "cli:" + System.getProperty("user.name", "unknown"));
      JsonNode answer = api.postNdjson("/v1/events", event.toString());
      out()
          .printf(
              "revocation of %s accepted (%s); descendants are revoked as the ledger processes it%n",
              id, answer == null ? "" : answer.toString());
    }
  }
}
