package dev.ledger.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.schemas.EventType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.SplittableRandom;

/**
 * Generates contract events (one JSON object per event) for a {@link WorkloadSpec}, one tree at a
 * time, so any size streams in constant memory. Deterministic: tree {@code i} depends only on the
 * seed and {@code i}, never on earlier trees.
 *
 * <pre>{@code
 * for (String line : WorkloadGenerator.events(WorkloadSpec.builder().trees(10).build())) { ... }
 * }</pre>
 */
public final class WorkloadGenerator implements Iterable<String> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SCOPES =
      List.of(
          "flights:search",
          "flights:book",
          "hotels:search",
          "hotels:book",
          "calendar:read",
          "calendar:write",
          "mail:read",
          "mail:send",
          "files:read",
          "files:write");
  private static final List<String> AUDIENCES =
      List.of(
          "https://api.flights.example",
          "https://api.hotels.example",
          "https://api.calendar.example",
          "https://api.mail.example",
          "https://api.files.example");
  private static final List<String> MODELS =
      List.of("planner-7b", "claude-agent", "gpt-agent", "llama-agent");

  private final WorkloadSpec spec;

  private WorkloadGenerator(WorkloadSpec spec) {
    this.spec = spec;
  }

  public static WorkloadGenerator events(WorkloadSpec spec) {
    return new WorkloadGenerator(spec);
  }

  /** The events of tree {@code i}, in event-time order. */
  public List<String> tree(int i) {
    return new TreeWriter(spec, i).write();
  }

  @Override
  public Iterator<String> iterator() {
    return new Iterator<>() {
      private int next;
      private final Queue<String> buffer = new ArrayDeque<>();

      @Override
      public boolean hasNext() {
        while (buffer.isEmpty() && next < spec.trees()) {
          buffer.addAll(tree(next++));
        }
        return !buffer.isEmpty();
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return buffer.poll();
      }
    };
  }

  /** Writes one tree; all randomness comes from a generator seeded by (seed, tree). */
  private static final class TreeWriter {
    private final WorkloadSpec spec;
    private final int tree;
    private final SplittableRandom random;
    private final String tenant;
    private final List<String> out = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private long clockMs;
    private int eventSeq;

    record Node(String id, String actor, List<String> scopes, List<String> audience, int depth) {}

    TreeWriter(WorkloadSpec spec, int tree) {
      this.spec = spec;
      this.tree = tree;
      this.random = new SplittableRandom(spec.seed() * 1_000_003L + tree);
      this.tenant = spec.tenants() == 1 ? "default" : "t" + (tree % spec.tenants());
      this.clockMs = spec.start().toEpochMilli() + tree * 1000L;
    }

    List<String> write() {
      String user = "user:u" + random.nextInt(spec.users());
      List<String> scopes = pick(SCOPES, 2 + random.nextInt(4));
      List<String> audience = pick(AUDIENCES, 1 + random.nextInt(3));
      Node root = new Node(id(0, 0), agent(0), scopes, audience, 0);
      ObjectNode body = token(root);
      body.put("issuer", "https://auth.example");
      body.put("subject", user);
      body.put("grant", "authorization_code");
      body.put("expires_at", Instant.ofEpochMilli(clockMs + 3_600_000L).toString());
      ObjectNode attrs = body.putObject("attributes");
      attrs.put("agent_model", MODELS.get(random.nextInt(MODELS.size())));
      attrs.put("agent_instance_id", "run-" + tree);
      emit(EventType.ISSUED.wireName(), "token", body);
      nodes.add(root);
      derive(root);
      for (Node n : new ArrayList<>(nodes)) {
        for (int u = 0; u < spec.usesPerToken(); u++) {
          use(n, random.nextDouble() < spec.violationShare());
        }
      }
      if (nodes.size() > 1 && random.nextDouble() < spec.revocationShare()) {
        Node victim = nodes.get(random.nextInt(nodes.size()));
        ObjectNode rev = JSON.createObjectNode();
        rev.put("token_id", victim.id());
        rev.put("reason", "suspicious activity");
        rev.put("revoked_by", "user:admin");
        emit(EventType.REVOKED.wireName(), "revocation", rev);
        Node leaf = nodes.get(nodes.size() - 1);
        use(leaf, false);
      }
      return out;
    }

    private void derive(Node parent) {
      if (parent.depth() >= spec.depth()) {
        return;
      }
      for (int c = 0; c < spec.fanout(); c++) {
        boolean escalate = random.nextDouble() < spec.violationShare();
        List<String> scopes =
            escalate
                ? plus(parent.scopes(), SCOPES.get(random.nextInt(SCOPES.size())))
                : pick(parent.scopes(), Math.max(1, parent.scopes().size() - random.nextInt(2)));
        List<String> audience =
            pick(parent.audience(), Math.max(1, parent.audience().size() - random.nextInt(2)));
        Node child =
            new Node(
                id(parent.depth() + 1, nodes.size()),
                agent(parent.depth() + 1),
                scopes,
                audience,
                parent.depth() + 1);
        ObjectNode body = token(child);
        body.put("parent_token_id", parent.id());
        boolean exchange = child.depth() == 1;
        if (exchange) {
          body.put("issuer", "https://auth.example");
        } else {
          body.putArray("caveats").add("time < " + Instant.ofEpochMilli(clockMs + 1_800_000L));
        }
        emit(
            exchange ? EventType.EXCHANGED.wireName() : EventType.ATTENUATED.wireName(),
            "token",
            body);
        nodes.add(child);
        derive(child);
      }
    }

    private void use(Node n, boolean violate) {
      ObjectNode use = JSON.createObjectNode();
      use.put("token_id", n.id());
      boolean wrongAudience = violate && random.nextBoolean();
      use.put(
          "resource",
          wrongAudience
              ? "https://api.unknown.example"
              : n.audience().get(random.nextInt(n.audience().size())));
      use.put(
          "action", "GET /" + n.scopes().get(random.nextInt(n.scopes().size())).replace(':', '/'));
      use.put("outcome", random.nextDouble() < 0.9 ? "allowed" : "denied");
      use.put("actor", violate && !wrongAudience ? "agent:impostor" : n.actor());
      use.put("request_id", "req-" + tree + "-" + eventSeq);
      emit(EventType.USED.wireName(), "use", use);
    }

    private ObjectNode token(Node n) {
      ObjectNode body = JSON.createObjectNode();
      body.put("token_id", n.id());
      body.put("actor", n.actor());
      ArrayNode aud = body.putArray("audience");
      n.audience().forEach(aud::add);
      ArrayNode sc = body.putArray("scopes");
      n.scopes().forEach(sc::add);
      return body;
    }

    private void emit(String type, String bodyField, ObjectNode body) {
      clockMs += 1 + random.nextInt(500);
      ObjectNode e = JSON.createObjectNode();
      e.put("event_id", "gen-" + spec.seed() + "-" + tree + "-" + eventSeq++);
      e.put("type", type);
      e.put("occurred_at", Instant.ofEpochMilli(clockMs).toString());
      e.put("tenant", tenant);
      e.put("source", "ledger-generate");
      e.set(bodyField, body);
      out.add(e.toString());
    }

    private String id(int depth, int index) {
      return "tok-" + spec.seed() + "-" + tree + "-" + depth + "-" + index;
    }

    private String agent(int depth) {
      return "agent:a" + tree % 997 + "-" + depth + "-" + random.nextInt(3);
    }

    private List<String> pick(List<String> from, int n) {
      List<String> copy = new ArrayList<>(from);
      List<String> chosen = new ArrayList<>();
      for (int i = 0; i < Math.min(n, copy.size()); i++) {
        chosen.add(copy.remove(random.nextInt(copy.size())));
      }
      return chosen;
    }

    private static List<String> plus(List<String> list, String extra) {
      List<String> copy = new ArrayList<>(list);
      if (!copy.contains(extra)) {
        copy.add(extra);
      }
      return copy;
    }
  }
}
