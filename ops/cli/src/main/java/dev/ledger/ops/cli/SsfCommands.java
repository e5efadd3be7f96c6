package dev.ledger.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.ops.client.ApiClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ledger ssf}: the operator's view of the Shared Signals transmitter (CONTRACT.md section
 * 6), over the same endpoints an SSF receiver uses, with the key of {@code --key}, {@code
 * LEDGER_KEY} or {@code data/admin.key}.
 */
@Command(
    name = "ssf",
    description = "Shared Signals (SSF 1.0) streams: list, create, delete, poll.",
    subcommands = {
      SsfCommands.Streams.class,
      SsfCommands.Create.class,
      SsfCommands.Delete.class,
      SsfCommands.Poll.class
    })
public final class SsfCommands implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String STREAMS = "/ssf/streams";

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "streams",
      description = "List the tenant's SSF streams: id, delivery, status, description.")
  static final class Streams extends AuditorCommands.Base {
    @Option(
        names = "--json",
        description = "one stream configuration per line, as the API answers it")
    boolean json;

    @Override
    void execute(ApiClient api) {
      JsonNode list = api.json("GET", STREAMS, query(), null);
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"STREAM", "DELIVERY", "ENDPOINT", "STATUS", "DESCRIPTION"});
      for (JsonNode s : list) {
        if (json) {
          out().println(Render.safe(s.toString()));
          continue;
        }
        String id = s.path("stream_id").asText();
        Map<String, String> q = query();
        q.put("stream_id", id);
        JsonNode status = api.json("GET", "/ssf/status", q, null);
        String method = s.path("delivery").path("method").asText();
        rows.add(
            new String[] {
              id,
              method.endsWith("8935") ? "push" : "poll",
              s.path("delivery").path("endpoint_url").asText(),
              status.path("status").asText(),
              s.path("description").asText("")
            });
      }
      if (!json) {
        Render.table(out(), rows);
      }
    }
  }

  @Command(
      name = "create",
      description = "Create a stream for the tenant: polled by default, pushed with --push.")
  static final class Create extends AuditorCommands.Base {
    @Option(
        names = "--push",
        paramLabel = "URL",
        description = "the receiver's URL: push SETs there (RFC 8935)")
    String push;

    @Option(
        names = "--authorization",
        paramLabel = "VALUE",
        description = "push: the Authorization header value to send, e.g. 'Bearer abc'")
    String authorization;

    @Option(names = "--description", description = "what the stream is for")
    String description;

    @Override
    void execute(ApiClient api) {
      ObjectNode body = JSON.createObjectNode();
      if (push != null) {
        ObjectNode delivery = body.putObject("delivery");
        delivery.put("method", "urn:ietf:rfc:8935");
        delivery.put("endpoint_url", push);
        if (authorization != null) {
          delivery.put("authorization_header", authorization);
        }
      }
      if (description != null) {
        body.put("description", description);
      }
      out().println(Render.safe(api.json("POST", STREAMS, query(), body).toString()));
    }
  }

  @Command(name = "delete", description = "Delete a stream; its undelivered SETs are dropped.")
  static final class Delete extends AuditorCommands.Base {
    @Parameters(paramLabel = "STREAM_ID")
    String id;

    @Override
    void execute(ApiClient api) {
      Map<String, String> q = query();
      q.put("stream_id", id);
      api.json("DELETE", STREAMS, q, null);
      out().printf("stream %s deleted%n", id);
    }
  }

  @Command(
      name = "poll",
      description =
          "Poll a stream once (RFC 8936) and print each SET's claims, one JSON per line."
              + " Without --ack the SETs stay pending and come again.")
  static final class Poll extends AuditorCommands.Base {
    @Parameters(paramLabel = "STREAM_ID")
    String id;

    @Option(names = "--max", defaultValue = "100", description = "most SETs (default 100)")
    int max;

    @Option(names = "--ack", description = "acknowledge what was printed (a second request)")
    boolean ack;

    @Option(names = "--wait", description = "long poll: wait up to 25 s for a SET")
    boolean await;

    @Override
    void execute(ApiClient api) {
      ObjectNode request = JSON.createObjectNode();
      request.put("maxEvents", max);
      request.put("returnImmediately", !await);
      JsonNode answer = api.json("POST", "/ssf/poll/" + ApiClient.enc(id), Map.of(), request);
      List<String> jtis = new ArrayList<>();
      answer
          .path("sets")
          .properties()
          .forEach(
              e -> {
                jtis.add(e.getKey());
                out().println(Render.safe(claims(e.getValue().asText())));
              });
      if (ack && !jtis.isEmpty()) {
        ObjectNode acknowledge = JSON.createObjectNode();
        acknowledge.put("maxEvents", 0);
        acknowledge.put("returnImmediately", true);
        ArrayNode list = acknowledge.putArray("ack");
        jtis.forEach(list::add);
        api.json("POST", "/ssf/poll/" + ApiClient.enc(id), Map.of(), acknowledge);
      }
      spec.commandLine()
          .getErr()
          .printf(
              "%d SET(s)%s%s%n",
              jtis.size(),
              ack && !jtis.isEmpty() ? ", acknowledged" : "",
              answer.path("moreAvailable").asBoolean() ? "; more available" : "");
    }

    /**
     * The SET's payload as it is: an operator's view, not a verification (a receiver checks the
     * signature).
     */
    private static String claims(String compact) {
      String[] parts = compact.split("\\.");
      return parts.length == 3
          ? new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
          : compact;
    }
  }
}
