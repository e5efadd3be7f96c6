package dev.ledger.bench.query;

import dev.ledger.schemas.EventType;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.Via;
import dev.ledger.schemas.avro.ViolationKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic audit trail of a given size, as the ledger would have derived it, written as the
 * ledger's own {@link TokenNode} and {@link AuditRecord} values so the index and PostgreSQL load
 * exactly the same data.
 *
 * <p>Shape: trees of 15 tokens (fan-out 2, depth 3), each token issued and used twice (45 audit
 * records a tree); one large tree of {@code bigTree} descendants (fan-out 10, one record each) for
 * the descendants query; a "hot" agent that is the root actor of enough trees to appear in about
 * {@code hotRecords} records; principals spread so each has about 100 records; one denied use in
 * ten carries a reason with a word from a 500-word vocabulary, for free-text search.
 *
 * @param records audit records in total (approximately: whole trees)
 * @param tenants spread trees over this many tenants (1 means {@code default})
 * @param bigTree descendants of the large tree
 * @param hotRecords records the hot agent should appear in
 */
public record QueryDataset(long records, int tenants, int bigTree, long hotRecords) {

  static final int FANOUT = 2;
  static final int DEPTH = 3;
  static final int TOKENS_PER_TREE = 15;
  static final int USES_PER_TOKEN = 2;
  static final int RECORDS_PER_TREE = TOKENS_PER_TREE * (1 + USES_PER_TOKEN);
  static final int BIG_FANOUT = 10;
  static final String HOT_AGENT = "agent:hot-orchestrator";
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<String> RESOURCES =
      List.of(
          "https://api.flights.example",
          "https://api.hotels.example",
          "https://api.calendar.example",
          "https://api.mail.example",
          "https://api.files.example");
  private static final List<String> ACTIONS =
      List.of(
          "GET /flights/search",
          "POST /flights/book",
          "GET /hotels/search",
          "POST /hotels/book",
          "GET /calendar/events",
          "POST /mail/send",
          "GET /files/report");

  /** Receives the dataset. */
  public interface Sink {
    void token(TokenNode token) throws Exception;

    void audit(AuditRecord record) throws Exception;
  }

  public QueryDataset {
    if (records < RECORDS_PER_TREE || tenants < 1 || bigTree < 1 || hotRecords < 0) {
      throw new IllegalArgumentException(
          "records >= " + RECORDS_PER_TREE + ", tenants >= 1, bigTree >= 1, hotRecords >= 0");
    }
  }

  /** Regular trees (the big tree comes on top). */
  public int trees() {
    return (int) Math.max(1, (records - bigTree - 1) / RECORDS_PER_TREE);
  }

  /** Every how many trees the hot agent holds the root. */
  int hotEvery() {
    long hotTrees = Math.max(1, hotRecords / RECORDS_PER_TREE);
    return (int) Math.max(1, trees() / hotTrees);
  }

  int users() {
    return Math.max(1, trees() * RECORDS_PER_TREE / 100);
  }

  int rootAgents() {
    return Math.max(1, trees() / 3);
  }

  public String tenant(int tree) {
    return tenants == 1 ? "default" : "t" + (tree % tenants);
  }

  /** The tenant of the big tree. */
  public String bigTreeTenant() {
    return tenant(0);
  }

  /** The root of the big tree. */
  public String bigTreeRoot() {
    return "big-0";
  }

  public static String hotAgent() {
    return HOT_AGENT;
  }

  /** A token id of regular tree {@code tree}, position {@code index} (0 = root .. 14). */
  public static String tokenId(int tree, int index) {
    return "q-" + tree + "-" + index;
  }

  /** The principal of tree {@code tree}. */
  public String principal(int tree) {
    return "user:u" + Math.floorMod(tree * 7919L, users());
  }

  /** A typical agent: the root actor of a non-hot tree. */
  public String rootAgent(int tree) {
    return tree % hotEvery() == 0 ? HOT_AGENT : "agent:r" + tree % rootAgents();
  }

  /**
   * When regular tree {@code tree} begins: its tokens are issued 0..14 ms later and its uses 15..44
   * ms later, and every token expires an hour after its issue.
   */
  public Instant treeStart(int tree) {
    return START.plusMillis(tree * 2_000L);
  }

  /** The free-text word number {@code i}. */
  public static String word(int i) {
    return "w" + Integer.toString(Math.floorMod(i, 500) * 7 + 1000, 36);
  }

  /** Emits every token and record: the big tree first, then the regular trees in order. */
  public void emit(Sink sink) throws Exception {
    emitBigTree(sink);
    for (int t = 0; t < trees(); t++) {
      emitTree(t, sink);
    }
  }

  private void emitBigTree(Sink sink) throws Exception {
    String tenant = bigTreeTenant();
    long clock = START.toEpochMilli() - 86_400_000L;
    List<List<Hop>> chains = new ArrayList<>();
    for (int i = 0; i <= bigTree; i++) {
      String id = "big-" + i;
      String parent = i == 0 ? null : "big-" + (i - 1) / BIG_FANOUT;
      List<Hop> chain = new ArrayList<>(i == 0 ? List.of() : chains.get((i - 1) / BIG_FANOUT));
      String actor = "agent:big-" + i % 50;
      chain.add(new Hop(id, actor, i == 0 ? Via.issued : Via.attenuated));
      chains.add(chain);
      Instant at = Instant.ofEpochMilli(clock + i);
      TokenNode node = token(tenant, id, parent, "big-0", chain, "user:big-owner", actor, at);
      sink.token(node);
      sink.audit(
          record(
              tenant,
              "big-e" + i,
              i == 0 ? EventType.ISSUED.wireName() : EventType.ATTENUATED.wireName(),
              at,
              node,
              null,
              null,
              null,
              null,
              List.of()));
    }
  }

  private void emitTree(int tree, Sink sink) throws Exception {
    SplittableRandom random = new SplittableRandom(tree * 1_000_003L + 17);
    String tenant = tenant(tree);
    String principal = principal(tree);
    long clock = treeStart(tree).toEpochMilli();
    List<TokenNode> nodes = new ArrayList<>(TOKENS_PER_TREE);
    int seq = 0;
    for (int i = 0; i < TOKENS_PER_TREE; i++) {
      int parentIndex = i == 0 ? -1 : (i - 1) / FANOUT;
      TokenNode parent = parentIndex < 0 ? null : nodes.get(parentIndex);
      String actor =
          i == 0 ? rootAgent(tree) : "agent:c" + random.nextInt(5_000) + "-d" + depthOf(i);
      List<Hop> chain = new ArrayList<>(parent == null ? List.of() : parent.getChain());
      chain.add(
          new Hop(
              tokenId(tree, i),
              actor,
              i == 0 ? Via.issued : depthOf(i) == 1 ? Via.exchanged : Via.attenuated));
      Instant at = Instant.ofEpochMilli(clock + seq);
      TokenNode node =
          token(
              tenant,
              tokenId(tree, i),
              parent == null ? null : parent.getTokenId(),
              tokenId(tree, 0),
              chain,
              principal,
              actor,
              at);
      nodes.add(node);
      sink.token(node);
      sink.audit(
          record(
              tenant,
              "q-e" + tree + "-" + seq++,
              i == 0
                  ? EventType.ISSUED.wireName()
                  : depthOf(i) == 1
                      ? EventType.EXCHANGED.wireName()
                      : EventType.ATTENUATED.wireName(),
              at,
              node,
              null,
              null,
              null,
              null,
              List.of()));
    }
    for (TokenNode node : nodes) {
      for (int u = 0; u < USES_PER_TOKEN; u++) {
        boolean denied = random.nextInt(10) == 0;
        String reason =
            denied ? "refused: quota exceeded for project " + word(random.nextInt(500)) : null;
        List<ViolationKind> violations =
            random.nextInt(40) == 0 ? List.of(ViolationKind.audience_mismatch) : List.of();
        sink.audit(
            record(
                tenant,
                "q-e" + tree + "-" + seq,
                EventType.USED.wireName(),
                Instant.ofEpochMilli(clock + seq),
                node,
                RESOURCES.get(random.nextInt(RESOURCES.size())),
                ACTIONS.get(random.nextInt(ACTIONS.size())),
                denied ? Outcome.denied : Outcome.allowed,
                reason,
                violations));
        seq++;
      }
    }
  }

  private static int depthOf(int index) {
    int depth = 0;
    for (int i = index; i > 0; i = (i - 1) / FANOUT) {
      depth++;
    }
    return depth;
  }

  private static TokenNode token(
      String tenant,
      String id,
      String parent,
      String root,
      List<Hop> chain,
      String principal,
      String actor,
      Instant at) {
    return TokenNode.newBuilder()
        .setTokenId(id)
        .setTenant(tenant)
        .setParentId(parent)
        .setRootId(root)
        .setDepth(chain.size() - 1)
        .setPrincipal(principal)
        .setActor(actor)
        .setIssuer("https://auth.example")
        .setChain(chain)
        .setScopes(List.of("flights:search", "mail:send"))
        .setAudience(List.of("https://api.flights.example"))
        .setExpiresAt(at.plusSeconds(3600))
        .setMaxUses(null)
        .setUses(0)
        .setStatus(TokenStatus.active)
        .setRevokedAt(null)
        .setRevocationCause(null)
        .setViolations(List.of())
        .setVia(chain.get(chain.size() - 1).getVia())
        .setGrant(parent == null ? "authorization_code" : null)
        .setAttributes(Map.of())
        .setCaveats(List.of())
        .setIssuedAt(at)
        .setSource("bench")
        .setUpdatedAt(at)
        .build();
  }

  private static AuditRecord record(
      String tenant,
      String eventId,
      String type,
      Instant at,
      TokenNode node,
      String resource,
      String action,
      Outcome outcome,
      String reason,
      List<ViolationKind> violations) {
    return AuditRecord.newBuilder()
        .setEventId(eventId)
        .setType(type)
        .setOccurredAt(at)
        .setTenant(tenant)
        .setTokenId(node.getTokenId())
        .setPrincipal(node.getPrincipal())
        .setActor(node.getActor())
        .setChain(node.getChain())
        .setResource(resource)
        .setAction(action)
        .setOutcome(outcome)
        .setViolations(violations)
        .setRootId(node.getRootId())
        .setParentId(node.getParentId())
        .setSource("bench")
        .setReason(reason)
        .setRequestId(resource == null ? null : "req-" + eventId)
        .setAttributes(Map.of())
        .setRecordedAt(at)
        .build();
  }
}
