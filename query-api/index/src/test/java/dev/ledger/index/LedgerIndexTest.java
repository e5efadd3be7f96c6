package dev.ledger.index;

import static dev.ledger.index.Records.T0;
import static dev.ledger.index.Records.alert;
import static dev.ledger.index.Records.audit;
import static dev.ledger.index.Records.revocation;
import static dev.ledger.index.Records.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ledger.index.internal.CommitData;
import dev.ledger.index.internal.Documents;
import dev.ledger.index.internal.Fields;
import dev.ledger.index.internal.NoticeIndex;
import dev.ledger.index.internal.TermsLayout;
import dev.ledger.index.internal.Writers;
import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.Outcome;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index alone, written directly: every query, filter, cursor and persistence rule. */
class LedgerIndexTest {

  @TempDir Path dir;
  LedgerIndex index;

  @BeforeEach
  void open() throws Exception {
    index = LedgerIndex.open(dir);
  }

  @AfterEach
  void close() {
    if (index != null) {
      index.close();
    }
  }

  private static final TenantScope ACME = TenantScope.of("acme");

  private void seedAudit() throws Exception {
    index.putAudit(
        audit("acme", "e1", T0.plusSeconds(1), "alice", "r1:agent-a", "c1:agent-b").build());
    index.putAudit(
        audit("acme", "e2", T0.plusSeconds(2), "alice", "r1:agent-a")
            .setOutcome(Outcome.denied)
            .setReason("scope missing payments:write")
            .setType("token.used")
            .build());
    index.putAudit(
        audit("acme", "e3", T0.plusSeconds(3), "bob", "r2:agent-c", "c2:agent-a", "c3:agent-d")
            .setResource("https://mail.example")
            .setAction("send")
            .setViolations(List.of(ViolationKind.escalation, ViolationKind.audience_mismatch))
            .setAttributes(Map.of("agent_model", "gpt-9"))
            .build());
    index.putAudit(
        audit("acme", "e4", T0.plusSeconds(4), "bob", "r2:agent-c")
            .setType("token.issued")
            .setResource(null)
            .setAction(null)
            .setOutcome(null)
            .build());
    index.putAudit(audit("other", "e5", T0.plusSeconds(5), "alice", "r1:agent-a").build());
    index.awaitSearchable();
  }

  private List<String> auditIds(TenantScope scope, AuditFilter filter)
      throws InvalidQueryException {
    return index.audit(scope, filter, PageRequest.first(100)).items().stream()
        .map(r -> r.getTenant() + "/" + r.getEventId())
        .toList();
  }

  private List<String> ids(AuditFilter filter) throws InvalidQueryException {
    return index.audit(ACME, filter, PageRequest.first(100)).items().stream()
        .map(AuditRecord::getEventId)
        .toList();
  }

  @Test
  void auditFiltersMatchExactlyAndNewestFirst() throws Exception {
    seedAudit();
    assertThat(ids(AuditFilter.empty())).containsExactly("e4", "e3", "e2", "e1");
    assertThat(ids(AuditFilter.builder().principal("alice").build())).containsExactly("e2", "e1");
    assertThat(ids(AuditFilter.builder().token("c1").build())).containsExactly("e1");
    assertThat(ids(AuditFilter.builder().resource("https://mail.example").build()))
        .containsExactly("e3");
    assertThat(ids(AuditFilter.builder().action("GET /accounts/42").build()))
        .containsExactly("e2", "e1");
    assertThat(ids(AuditFilter.builder().outcome("denied").build())).containsExactly("e2");
    assertThat(ids(AuditFilter.builder().type("token.issued").build())).containsExactly("e4");
    assertThat(ids(AuditFilter.builder().violation("audience_mismatch").build()))
        .containsExactly("e3");
    assertThat(ids(AuditFilter.builder().from(T0.plusSeconds(2)).to(T0.plusSeconds(4)).build()))
        .as("from inclusive, to exclusive")
        .containsExactly("e3", "e2");
    assertThat(ids(AuditFilter.builder().principal("alice").outcome("allowed").build()))
        .containsExactly("e1");
    assertThat(ids(AuditFilter.builder().principal("Alice").build()))
        .as("exact, case-sensitive")
        .isEmpty();
  }

  @Test
  void submittedByFindsTheRecordsOfOneCredentialAndIsAKeywordOfQ() throws Exception {
    index.putAudit(
        audit("acme", "s1", T0.plusSeconds(1), "alice", "r1:agent-a")
            .setSubmittedBy("3f9c0a1b2d4e5f60")
            .build());
    index.putAudit(
        audit("acme", "s2", T0.plusSeconds(2), "alice", "r1:agent-a")
            .setSubmittedBy("jwt:svc:gateway")
            .build());
    index.putAudit(audit("acme", "s3", T0.plusSeconds(3), "alice", "r1:agent-a").build());
    index.putAudit(
        audit("other", "s4", T0.plusSeconds(4), "alice", "r1:agent-a")
            .setSubmittedBy("3f9c0a1b2d4e5f60")
            .build());
    index.awaitSearchable();

    assertThat(ids(AuditFilter.builder().submittedBy("3f9c0a1b2d4e5f60").build()))
        .containsExactly("s1");
    assertThat(ids(AuditFilter.builder().submittedBy("jwt:svc:gateway").build()))
        .containsExactly("s2");
    assertThat(ids(AuditFilter.builder().q("submitted_by:\"jwt:svc:gateway\"").build()))
        .containsExactly("s2");
    assertThat(
            index
                .audit(
                    ACME,
                    AuditFilter.builder().submittedBy("jwt:svc:gateway").build(),
                    PageRequest.first(1))
                .items()
                .getFirst()
                .getSubmittedBy())
        .isEqualTo("jwt:svc:gateway");
  }

  @Test
  void txnAndActiFindAWholeTransactionWithinTheTenantAndAreKeywordsOfQ() throws Exception {
    index.putAudit(
        audit("acme", "t1", T0.plusSeconds(1), "alice", "r1:svc-gateway")
            .setTxn("txn-42")
            .setActi("wf-7")
            .setResource("https://orders.example")
            .build());
    index.putAudit(
        audit("acme", "t2", T0.plusSeconds(2), "alice", "r1:svc-payments")
            .setTxn("txn-42")
            .setActi("wf-7")
            .setResource("https://payments.example")
            .build());
    index.putAudit(
        audit("acme", "t3", T0.plusSeconds(3), "alice", "r1:svc-gateway")
            .setTxn("txn-43")
            .setActi("wf-7")
            .build());
    index.putAudit(audit("acme", "t4", T0.plusSeconds(4), "alice", "r1:svc-gateway").build());
    index.putAudit(
        audit("other", "t5", T0.plusSeconds(5), "alice", "r1:svc-gateway")
            .setTxn("txn-42")
            .build());
    index.awaitSearchable();

    assertThat(ids(AuditFilter.builder().txn("txn-42").build())).containsExactly("t2", "t1");
    assertThat(ids(AuditFilter.builder().acti("wf-7").build())).containsExactly("t3", "t2", "t1");
    assertThat(
            ids(
                AuditFilter.builder()
                    .txn("txn-42")
                    .acti("wf-7")
                    .resource("https://payments.example")
                    .build()))
        .containsExactly("t2");
    assertThat(ids(AuditFilter.builder().q("txn:txn-43").build())).containsExactly("t3");
    assertThat(auditIds(TenantScope.of("other"), AuditFilter.builder().txn("txn-42").build()))
        .containsExactly("other/t5");
    assertThat(
            index
                .audit(ACME, AuditFilter.builder().txn("txn-43").build(), PageRequest.first(1))
                .items()
                .getFirst()
                .getActi())
        .isEqualTo("wf-7");
  }

  @Test
  void actorMatchesAnyHopOfTheChain() throws Exception {
    seedAudit();
    // agent-a is the root holder in e1, e2 and a middle hop in e3; agent-d only the last hop of e3.
    assertThat(ids(AuditFilter.builder().actor("agent-a").build()))
        .containsExactly("e3", "e2", "e1");
    assertThat(ids(AuditFilter.builder().actor("agent-d").build())).containsExactly("e3");
    assertThat(ids(AuditFilter.builder().actor("agent-b").build())).containsExactly("e1");
  }

  @Test
  void tenantsNeverSeeEachOther() throws Exception {
    seedAudit();
    assertThat(auditIds(TenantScope.of("other"), AuditFilter.empty())).containsExactly("other/e5");
    assertThat(auditIds(ACME, AuditFilter.builder().q("tenant:other").build())).isEmpty();
    assertThat(auditIds(ACME, AuditFilter.builder().q("e5").build())).isEmpty();
    assertThat(auditIds(TenantScope.all(), AuditFilter.builder().principal("alice").build()))
        .containsExactly("other/e5", "acme/e2", "acme/e1");
    assertThat(auditIds(TenantScope.of("nobody"), AuditFilter.empty())).isEmpty();
  }

  @Test
  void freeQueryUsesLuceneSyntax() throws Exception {
    seedAudit();
    assertThat(ids(AuditFilter.builder().q("missing").build()))
        .as("word of the reason")
        .containsExactly("e2");
    assertThat(ids(AuditFilter.builder().q("GPT-9").build()))
        .as("attribute value, analysed")
        .containsExactly("e3");
    assertThat(ids(AuditFilter.builder().q("principal:bob AND NOT type:token.issued").build()))
        .containsExactly("e3");
    assertThat(ids(AuditFilter.builder().q("action:\"GET /accounts/42\"").build()))
        .containsExactly("e2", "e1");
    assertThat(ids(AuditFilter.builder().q("actor:agent-d OR outcome:denied").build()))
        .containsExactly("e3", "e2");
    assertThat(ids(AuditFilter.builder().q("violation:escalation").build())).containsExactly("e3");
    assertThat(ids(AuditFilter.builder().q("actor:agent-*").principal("alice").build()))
        .containsExactly("e2", "e1");
    assertThat(
            ids(
                AuditFilter.builder()
                    .q("occurred_at:[2026-01-01T00:00:02Z TO 2026-01-01T00:00:03Z]")
                    .build()))
        .containsExactly("e3", "e2");
    assertThat(ids(AuditFilter.builder().q("occurred_at:{2026-01-01T00:00:02Z TO *]").build()))
        .containsExactly("e4", "e3");
  }

  @Test
  void malformedQueryIsAnInvalidQueryWithTheParserMessage() throws Exception {
    seedAudit();
    assertThatThrownBy(() -> ids(AuditFilter.builder().q("principal:(alice").build()))
        .isInstanceOfSatisfying(
            InvalidQueryException.class,
            e -> {
              assertThat(e.parameter()).isEqualTo("q");
              assertThat(e.getMessage()).contains("Cannot parse");
            });
    assertThatThrownBy(() -> ids(AuditFilter.builder().q("occurred_at:[yesterday TO *]").build()))
        .isInstanceOfSatisfying(
            InvalidQueryException.class, e -> assertThat(e.getMessage()).contains("RFC 3339"));
    assertThatThrownBy(() -> ids(AuditFilter.builder().q("*alice").build()))
        .isInstanceOf(InvalidQueryException.class);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                index.audit(
                    ACME,
                    AuditFilter.builder().q("a AND (").from(T0).to(T0).build(),
                    new PageRequest(0, "garbage!")))
        .isInstanceOfSatisfying(
            InvalidQueryException.class,
            e ->
                assertThat(e.problems())
                    .extracting(InvalidQueryException.Problem::parameter)
                    .containsExactlyInAnyOrder("limit", "cursor", "q", "from"));
    assertThatThrownBy(() -> index.alerts(ACME, AlertFilter.empty(), PageRequest.first(1001)))
        .isInstanceOfSatisfying(
            InvalidQueryException.class, e -> assertThat(e.parameter()).isEqualTo("limit"));
  }

  @Test
  void aCursorOfAnotherListIsRefused() throws Exception {
    seedAudit();
    String cursor = index.audit(ACME, AuditFilter.empty(), PageRequest.first(1)).nextCursor();
    assertThat(cursor).isNotNull();
    assertThatThrownBy(() -> index.alerts(ACME, AlertFilter.empty(), new PageRequest(10, cursor)))
        .isInstanceOfSatisfying(
            InvalidQueryException.class, e -> assertThat(e.parameter()).isEqualTo("cursor"));
  }

  @Test
  void pagingWhileAddingNeitherSkipsNorRepeats() throws Exception {
    Random random = new Random(42);
    Set<String> before = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      // Many records share a millisecond, so the unique tiebreak decides their order.
      index.putAudit(
          audit("acme", "old-" + i, T0.plusMillis(random.nextInt(50)), "alice", "r:a").build());
      before.add("old-" + i);
    }
    index.awaitSearchable();
    List<String> seen = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    String cursor = null;
    int added = 0;
    do {
      Page<AuditRecord> page = index.audit(ACME, AuditFilter.empty(), new PageRequest(17, cursor));
      page.items()
          .forEach(
              r -> {
                seen.add(r.getEventId());
                times.add(r.getOccurredAt());
              });
      cursor = page.nextCursor();
      // New records land before, inside and after the part already read.
      for (int j = 0; j < 5; j++) {
        index.putAudit(
            audit("acme", "new-" + added++, T0.plusMillis(random.nextInt(100) - 25), "alice", "r:a")
                .build());
      }
      index.awaitSearchable();
    } while (cursor != null);
    assertThat(seen).doesNotHaveDuplicates().containsAll(before);
    assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void lastPageHasNoCursor() throws Exception {
    for (int i = 0; i < 10; i++) {
      index.putAudit(audit("acme", "e" + i, T0.plusSeconds(i), "alice", "r:a").build());
    }
    index.awaitSearchable();
    Page<AuditRecord> first = index.audit(ACME, AuditFilter.empty(), PageRequest.first(5));
    Page<AuditRecord> second =
        index.audit(ACME, AuditFilter.empty(), new PageRequest(5, first.nextCursor()));
    assertThat(first.items())
        .extracting(AuditRecord::getEventId)
        .containsExactly("e9", "e8", "e7", "e6", "e5");
    assertThat(second.items())
        .extracting(AuditRecord::getEventId)
        .containsExactly("e4", "e3", "e2", "e1", "e0");
    assertThat(second.nextCursor()).isNull();
  }

  @Test
  void forEachAuditStreamsEveryMatchNewestFirst() throws Exception {
    for (int i = 0; i < 2500; i++) {
      index.putAudit(
          audit("acme", "e" + i, T0.plusSeconds(i), i % 2 == 0 ? "alice" : "bob", "r:a").build());
    }
    index.awaitSearchable();
    List<AuditRecord> out = new ArrayList<>();
    index.forEachAudit(ACME, AuditFilter.builder().principal("alice").build(), out::add);
    assertThat(out).hasSize(1250);
    assertThat(out.get(0).getEventId()).isEqualTo("e2498");
    assertThat(out)
        .extracting(AuditRecord::getOccurredAt)
        .isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void aTokenOrANoticeReplacesItsDocumentWhileAuditRecordsAreAppended() throws Exception {
    index.putToken(token("acme", "alice", T0, "r:a"));
    index.putToken(token("acme", "alice", T0, "r:a"));
    index.putRevocation("acme", "r", revocation("acme", "r", "r", T0, T0), 0, 0);
    index.putRevocation("acme", "r", revocation("acme", "r", "r", T0, T0), 0, 1);
    AuditRecord r = audit("acme", "e1", T0, "alice", "r:a").build();
    index.putAudit(r);
    index.awaitSearchable();
    assertThat(index.documentCount()).isEqualTo(3);
    // Append-only: no lookup of an older version. Records are indexed once because the indexer
    // resumes from the positions committed with the documents (see the next test).
    index.putAudit(r);
    index.awaitSearchable();
    assertThat(ids(AuditFilter.empty())).containsExactly("e1", "e1");
  }

  @Test
  void documentsOfAnIndexerAreNeverCommittedWithoutTheirPositions() throws Exception {
    TopicPartition p0 = new TopicPartition("ledger.audit", 0);
    List<AuditRecord> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      records.add(audit("acme", "e" + i, T0.plusSeconds(i), "alice", "r:a").build());
    }
    index.fedByIndexer();
    index.putAudit(records.get(0));
    index.putAudit(records.get(1));
    index.commit(Map.of(p0, 2L));
    index.putAudit(records.get(2));
    index.putAudit(records.get(3));
    // An indexer that failed here writes nothing more; the ledger then shuts down.
    index.close();

    index = LedgerIndex.open(dir);
    assertThat(index.committedOffsets()).containsExactlyEntriesOf(Map.of(p0, 2L));
    assertThat(ids(AuditFilter.empty())).containsExactly("e1", "e0");
    index.fedByIndexer();
    for (AuditRecord r : records.subList(2, 5)) { // read again from the committed position
      index.putAudit(r);
    }
    index.commit(Map.of(p0, 5L));
    index.awaitSearchable();
    assertThat(ids(AuditFilter.empty()))
        .as("one document per record")
        .containsExactly("e4", "e3", "e2", "e1", "e0");
    assertThat(index.documentCount()).isEqualTo(5);
  }

  /** root, its children a and c, a's child b; all active. */
  private void seedTree() throws Exception {
    index.putToken(token("acme", "alice", T0, "root:agent-a"));
    index.putToken(token("acme", "alice", T0, "root:agent-a", "a:agent-b"));
    index.putToken(token("acme", "alice", T0, "root:agent-a", "a:agent-b", "b:agent-c"));
    index.putToken(token("acme", "alice", T0, "root:agent-a", "c:agent-d"));
  }

  @Test
  void usesAreTheAllowedUsesOfTheTokenAndItsDescendantsCountedInTheAudit() throws Exception {
    seedTree();
    index.putAudit(
        audit("acme", "u1", T0.plusSeconds(1), "alice", "root:agent-a", "a:agent-b", "b:agent-c")
            .build());
    index.putAudit(
        audit("acme", "u2", T0.plusSeconds(2), "alice", "root:agent-a", "a:agent-b", "b:agent-c")
            .build());
    index.putAudit(
        audit("acme", "u3", T0.plusSeconds(3), "alice", "root:agent-a", "a:agent-b").build());
    index.putAudit(
        audit("acme", "u4", T0.plusSeconds(4), "alice", "root:agent-a", "c:agent-d").build());
    // Not allowed uses: denied, not a use, and another tenant's use of a token with the same ids.
    index.putAudit(
        audit("acme", "d1", T0.plusSeconds(5), "alice", "root:agent-a", "a:agent-b")
            .setOutcome(Outcome.denied)
            .build());
    index.putAudit(
        audit("acme", "i1", T0.plusSeconds(6), "alice", "root:agent-a", "a:agent-b")
            .setType("token.exchanged")
            .setOutcome(null)
            .build());
    index.putAudit(
        audit("other", "u1", T0.plusSeconds(1), "zed", "root:agent-a", "a:agent-b").build());
    index.awaitSearchable();

    Function<String, Long> uses = id -> index.token("acme", id).orElseThrow().getUses();
    assertThat(uses.apply("root")).isEqualTo(4);
    assertThat(uses.apply("a")).isEqualTo(3);
    assertThat(uses.apply("b")).isEqualTo(2);
    assertThat(uses.apply("c")).isEqualTo(1);
    assertThat(index.token("other", "root")).isEmpty();

    // A use audited without a chain (its chain resolved later) is counted only by the token's
    // document: the larger of the two lower bounds wins.
    index.putToken(
        TokenNode.newBuilder(token("acme", "alice", T0, "root:agent-a", "a:agent-b", "b:agent-c"))
            .setUses(3)
            .build());
    index.putToken(
        TokenNode.newBuilder(token("acme", "alice", T0, "root:agent-a")).setUses(2).build());
    index.awaitSearchable();
    assertThat(uses.apply("b")).isEqualTo(3);
    assertThat(uses.apply("root")).as("a lagging document never lowers the count").isEqualTo(4);
    assertThat(index.descendants("acme", "root", PageRequest.first(10)).items())
        .extracting(TokenNode::getUses)
        .as("listings show the documents as they are")
        .containsExactlyInAnyOrder(0L, 0L, 3L);
  }

  @Test
  void aDescendantIsRevokedAsSoonAsANoticeOfItsChainIsSearchable() throws Exception {
    seedTree();
    Instant t1 = T0.plusSeconds(60);
    // Only the notice of the subtree's top is indexed; a's and b's documents still say active.
    index.putRevocation("acme", "a", revocation("acme", "a", "a", t1, t1), 0, 0);
    index.putRevocation("other", "root", revocation("other", "root", "root", T0, T0), 0, 1);
    index.awaitSearchable();
    assertThat(index.token("acme", "b"))
        .get()
        .satisfies(
            t -> {
              assertThat(t.getStatus()).isEqualTo(TokenStatus.revoked);
              assertThat(t.getRevokedAt()).isEqualTo(t1);
              assertThat(t.getRevocationCause()).isEqualTo("a");
            });
    assertThat(index.token("acme", "a")).map(TokenNode::getStatus).contains(TokenStatus.revoked);
    assertThat(index.token("acme", "root"))
        .map(TokenNode::getStatus)
        .as("another tenant's notice")
        .contains(TokenStatus.active);
    assertThat(index.token("acme", "c")).map(TokenNode::getStatus).contains(TokenStatus.active);
    assertThat(index.descendants("acme", "root", PageRequest.first(10)).items())
        .as("the list answers each descendant as GET /v1/tokens/{id} does")
        .extracting(TokenNode::getTokenId, TokenNode::getStatus, TokenNode::getRevocationCause)
        .containsExactlyInAnyOrder(
            tuple("a", TokenStatus.revoked, "a"),
            tuple("b", TokenStatus.revoked, "a"),
            tuple("c", TokenStatus.active, null));

    // An earlier revocation higher up is the one in force (as Streams decides): its time and cause.
    index.putRevocation("acme", "b", revocation("acme", "b", "root", T0.plusSeconds(30), t1), 0, 2);
    index.awaitSearchable();
    assertThat(index.token("acme", "b")).map(TokenNode::getRevocationCause).contains("root");
    assertThat(index.token("acme", "b")).map(TokenNode::getRevokedAt).contains(T0.plusSeconds(30));

    // A document that already carries an earlier revocation keeps it; a tombstoned notice counts no
    // more.
    index.putToken(
        TokenNode.newBuilder(token("acme", "alice", T0, "root:agent-a", "a:agent-b", "b:agent-c"))
            .setStatus(TokenStatus.revoked)
            .setRevokedAt(T0.plusSeconds(10))
            .setRevocationCause("b")
            .build());
    index.putRevocation("acme", "a", null, 0, 3);
    index.awaitSearchable();
    assertThat(index.token("acme", "b")).map(TokenNode::getRevocationCause).contains("b");
    assertThat(index.token("acme", "a")).map(TokenNode::getStatus).contains(TokenStatus.active);
  }

  @Test
  void tokensByIdAndDescendantsAtAnyDepth() throws Exception {
    index.putToken(token("acme", "alice", T0, "root:agent-a"));
    index.putToken(token("acme", "alice", T0.plusSeconds(1), "root:agent-a", "a:agent-b"));
    index.putToken(
        token("acme", "alice", T0.plusSeconds(2), "root:agent-a", "a:agent-b", "b:agent-c"));
    index.putToken(token("acme", "alice", T0.plusSeconds(3), "root:agent-a", "c:agent-d"));
    // Pending: only the parent is known, so until its chain resolves it is a descendant of b alone.
    index.putToken(
        TokenNode.newBuilder(token("acme", null, T0.plusSeconds(4), "p:agent-e"))
            .setParentId("b")
            .setRootId(null)
            .setStatus(dev.ledger.schemas.avro.TokenStatus.pending)
            .build());
    index.putToken(token("other", "zed", T0, "root:agent-z", "x:agent-y"));
    index.awaitSearchable();

    Function<String, List<String>> desc =
        id -> {
          try {
            return index.descendants("acme", id, PageRequest.first(100)).items().stream()
                .map(TokenNode::getTokenId)
                .toList();
          } catch (InvalidQueryException e) {
            throw new AssertionError(e);
          }
        };
    assertThat(desc.apply("root")).containsExactly("c", "b", "a");
    assertThat(desc.apply("a")).containsExactly("b");
    assertThat(desc.apply("b")).containsExactly("p");
    assertThat(desc.apply("c")).isEmpty();
    assertThat(index.token("acme", "b")).map(TokenNode::getDepth).contains(2);
    assertThat(index.token("other", "b")).isEmpty();
    assertThat(index.token("other", "x")).map(TokenNode::getPrincipal).contains("zed");

    index.putToken(
        TokenNode.newBuilder(
                token("acme", "alice", T0.plusSeconds(2), "root:agent-a", "a:agent-b", "b:agent-c"))
            .setUses(7)
            .build());
    index.deleteToken("acme", "c");
    index.awaitSearchable();
    assertThat(index.token("acme", "b")).map(TokenNode::getUses).contains(7L);
    assertThat(index.token("acme", "c")).isEmpty();
    assertThat(desc.apply("root")).containsExactly("b", "a");
  }

  @Test
  void descendantsPageThroughAWideTree() throws Exception {
    for (int i = 0; i < 250; i++) {
      index.putToken(token("acme", "alice", T0.plusMillis(i % 7), "root:a", "child-" + i + ":b"));
    }
    index.awaitSearchable();
    Set<String> seen = new HashSet<>();
    String cursor = null;
    do {
      Page<TokenNode> page = index.descendants("acme", "root", new PageRequest(40, cursor));
      page.items().forEach(t -> assertThat(seen.add(t.getTokenId())).isTrue());
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(seen).hasSize(250);
  }

  @Test
  void alertsFilters() throws Exception {
    index.putAlert(
        alert(
            "acme",
            "al1",
            ViolationKind.escalation,
            T0.plusSeconds(1),
            "alice",
            "r:agent-a",
            "c:agent-b"));
    index.putAlert(
        alert(
            "acme",
            "al2",
            ViolationKind.use_after_revocation,
            T0.plusSeconds(2),
            "bob",
            "r2:agent-c"));
    index.putAlert(
        alert("other", "al1", ViolationKind.escalation, T0.plusSeconds(3), "alice", "r:agent-a"));
    index.awaitSearchable();
    Function<AlertFilter, List<String>> ids =
        f -> {
          try {
            return index.alerts(ACME, f, PageRequest.first(10)).items().stream()
                .map(a -> a.getAlertId())
                .toList();
          } catch (InvalidQueryException e) {
            throw new AssertionError(e);
          }
        };
    assertThat(ids.apply(AlertFilter.empty())).containsExactly("al2", "al1");
    assertThat(ids.apply(AlertFilter.builder().kind("escalation").build())).containsExactly("al1");
    assertThat(ids.apply(AlertFilter.builder().token("c").build())).containsExactly("al1");
    assertThat(ids.apply(AlertFilter.builder().principal("bob").build())).containsExactly("al2");
    assertThat(ids.apply(AlertFilter.builder().actor("agent-a").build())).containsExactly("al1");
    assertThat(ids.apply(AlertFilter.builder().from(T0.plusSeconds(2)).build()))
        .containsExactly("al2");
    assertThat(index.alerts(TenantScope.all(), AlertFilter.empty(), PageRequest.first(10)).items())
        .hasSize(3);
  }

  @Test
  void revocationsTombstonesAndTheirPlaces() throws Exception {
    SequencedNotice a =
        index.putRevocation("acme", "a", revocation("acme", "a", "a", T0, T0.plusMillis(10)), 0, 4);
    SequencedNotice b =
        index.putRevocation("acme", "b", revocation("acme", "b", "a", T0, T0.plusMillis(20)), 1, 9);
    index.putRevocation("other", "z", revocation("other", "z", "z", T0, T0.plusMillis(30)), 2, 0);
    index.awaitSearchable();
    assertThat(b.partition()).isEqualTo(1);
    assertThat(b.offset()).isEqualTo(9);
    assertThat(index.revocations(ACME, null, PageRequest.first(10)).items())
        .extracting(n -> n.getTokenId())
        .containsExactly("b", "a");
    assertThat(index.revocations(ACME, T0.plusMillis(15), PageRequest.first(10)).items())
        .extracting(n -> n.getTokenId())
        .containsExactly("b");

    SequencedNotice tomb = index.putRevocation("acme", "a", null, 0, 7);
    index.awaitSearchable();
    assertThat(tomb.isTombstone()).isTrue();
    assertThat(index.revocations(ACME, null, PageRequest.first(10)).items())
        .extracting(n -> n.getTokenId())
        .containsExactly("b");
    List<SequencedNotice> all = index.revocationsAfter(ACME, RevocationPosition.START, 100);
    assertThat(all)
        .as("partition, then offset; the tombstone replaced a's notice and took its place")
        .extracting(SequencedNotice::tokenId, SequencedNotice::partition, SequencedNotice::offset)
        .containsExactly(tuple("a", 0, 7L), tuple("b", 1, 9L));
    assertThat(all.get(0).notice()).isNull();
    assertThat(all.get(0).tenant()).isEqualTo("acme");
    assertThat(index.revocationsAfter(ACME, position(0, 4), 100))
        .as("a client that had a's notice still learns of its tombstone")
        .extracting(SequencedNotice::tokenId)
        .containsExactly("a", "b");
    assertThat(index.revocationsAfter(ACME, position(0, 7), 100))
        .extracting(SequencedNotice::tokenId)
        .containsExactly("b");
    assertThat(index.revocationsAfter(ACME, position(0, 7, 1, 9), 100)).isEmpty();
    assertThat(index.revocationsAfter(TenantScope.all(), position(1, 9), 100))
        .as("partitions not named: everything in them")
        .extracting(SequencedNotice::tokenId)
        .containsExactly("a", "z");
    assertThat(index.revocationsAfter(TenantScope.all(), RevocationPosition.START, 1)).hasSize(1);
    assertThat(index.revocationsEnd()).isEqualTo(position(0, 7, 1, 9, 2, 0));
  }

  @Test
  void resumingPagesThroughManyPartitionsInTopicOrder() throws Exception {
    // 40 partitions, 25 records each, written out of order; a client that already has half of
    // each partition pages through the rest, advancing its position by each page.
    for (int o = 24; o >= 0; o--) {
      for (int p = 0; p < 40; p++) {
        String id = "t" + p + "-" + o;
        index.putRevocation("acme", id, revocation("acme", id, id, T0, T0), p, 100 + o);
      }
    }
    index.awaitSearchable();
    Map<Integer, Long> half = new HashMap<>();
    for (int p = 0; p < 40; p++) {
      half.put(p, 112L);
    }
    RevocationPosition at = RevocationPosition.of(half);
    List<SequencedNotice> got = new ArrayList<>();
    for (List<SequencedNotice> page = index.revocationsAfter(ACME, at, 100);
        !page.isEmpty();
        page = index.revocationsAfter(ACME, at, 100)) {
      for (SequencedNotice n : page) {
        assertThat(at.covers(n.partition(), n.offset())).as("never one it has").isFalse();
        at = at.advance(n.partition(), n.offset());
        got.add(n);
      }
    }
    assertThat(got).hasSize(40 * 12);
    assertThat(got)
        .as("ascending in each partition")
        .isSortedAccordingTo(
            Comparator.comparingInt(SequencedNotice::partition)
                .thenComparingLong(SequencedNotice::offset));
    assertThat(at).isEqualTo(index.revocationsEnd());
  }

  @Test
  void theNamedPartitionsOfAPositionStayWithinLucenesClauseLimit() throws Exception {
    index.putRevocation("acme", "far", revocation("acme", "far", "far", T0, T0), 5_000, 3);
    index.awaitSearchable();
    Map<Integer, Long> many = new HashMap<>();
    for (int p = 0; p < RevocationPosition.MAX_PARTITIONS; p++) {
      many.put(p, 0L);
    }
    assertThat(index.revocationsAfter(ACME, RevocationPosition.of(many), 10))
        .extracting(SequencedNotice::tokenId)
        .containsExactly("far");
  }

  @Test
  void placesSurviveARestartAndACrashReadsTheSameRecordsAgainAtTheSamePlaces() throws Exception {
    index.putRevocation("acme", "a", revocation("acme", "a", "a", T0, T0), 0, 0);
    index.close();
    index = LedgerIndex.open(dir);
    index.putRevocation("acme", "b", revocation("acme", "b", "b", T0, T0), 0, 1);
    index.crash();
    index = LedgerIndex.open(dir);
    assertThat(index.revocationsAfter(ACME, RevocationPosition.START, 10))
        .extracting(SequencedNotice::tokenId)
        .containsExactly("a");
    // The indexer reads b's record again from the last commit: same place, so a client that got
    // it before the crash does not get it twice, and one that did not gets it.
    index.putRevocation("acme", "b", revocation("acme", "b", "b", T0, T0), 0, 1);
    index.awaitSearchable();
    assertThat(index.revocationsAfter(ACME, position(0, 1), 10)).isEmpty();
    assertThat(index.revocationsAfter(ACME, position(0, 0), 10))
        .extracting(SequencedNotice::tokenId)
        .containsExactly("b");
  }

  @Test
  void aNoticeIndexFromBeforePlacesIsReadAgain() throws Exception {
    TopicPartition revocations = new TopicPartition("ledger.revocations", 0);
    index.putRevocation("acme", "a", revocation("acme", "a", "a", T0, T0), 0, 0);
    index.commit(Map.of(revocations, 1L));
    index.close();
    // What a notice index written before v1.17 lacks: the marker that its documents have places.
    try (FSDirectory directory = FSDirectory.open(dir.resolve(NoticeIndex.SUBDIRECTORY));
        IndexWriter writer = Writers.open(directory, 16)) {
      Map<String, String> data = Writers.commitData(writer);
      data.remove("revocation.places");
      Writers.commit(writer, data);
    }
    index = LedgerIndex.open(dir);
    assertThat(index.revocationsAfter(ACME, RevocationPosition.START, 10)).isEmpty();
    assertThat(index.committedOffsets())
        .as("ledger.revocations is read again from the beginning")
        .doesNotContainKey(revocations);
  }

  @Test
  void anIndexFromBeforeNoticesMovedApartReadsItsNoticesAgain(@TempDir Path old) throws Exception {
    // The main index as it was written when notices lived in it: a notice and its position.
    TopicPartition revocations = new TopicPartition("ledger.revocations", 0);
    TopicPartition audit = new TopicPartition("ledger.audit", 0);
    try (FSDirectory directory = FSDirectory.open(old);
        IndexWriter writer = Writers.open(directory, 16)) {
      writer.addDocument(
          Documents.revocation("acme", "a", revocation("acme", "a", "a", T0, T0), 0, 4));
      Map<String, String> data = new HashMap<>();
      CommitData.putOffsets(data, Map.of(revocations, 5L, audit, 7L));
      Writers.commit(writer, data);
    }
    try (LedgerIndex reopened = LedgerIndex.open(old)) {
      assertThat(reopened.documentCount())
          .as("the old notice is dropped from the main index")
          .isZero();
      assertThat(reopened.committedOffsets())
          .as("ledger.revocations is read again from the beginning")
          .isEqualTo(Map.of(audit, 7L));
      reopened.putRevocation("acme", "a", revocation("acme", "a", "a", T0, T0), 0, 4);
      reopened.awaitSearchable();
      assertThat(reopened.revocationsAfter(ACME, RevocationPosition.START, 10))
          .extracting(SequencedNotice::tokenId)
          .containsExactly("a");
    }
  }

  @Test
  void anIndexWithCopiedCatchAllTermsKeepsItsLayoutUntilRebuilt(@TempDir Path old)
      throws Exception {
    // An index created between v1.10 and v1.19: tenant terms, the catch-all copied, not prefixed.
    try (FSDirectory directory = FSDirectory.open(old);
        IndexWriter writer = Writers.open(directory, 16)) {
      writer.addDocument(Documents.audit(scopeMissing("acme", "e1", 1), null, TermsLayout.COPIES));
      Map<String, String> data = new HashMap<>();
      CommitData.putTenantTerms(data);
      Writers.commit(writer, data);
    }
    try (LedgerIndex reopened = LedgerIndex.open(old)) {
      reopened.putAudit(scopeMissing("acme", "e2", 2));
      reopened.putAudit(scopeMissing("other", "e3", 3));
      reopened.awaitSearchable();
      for (String q : List.of("missing", "\"scope missing\"", "miss*", "principal:ali*")) {
        AuditFilter filter = AuditFilter.builder().q(q).build();
        assertThat(reopened.audit(ACME, filter, PageRequest.first(10)).items())
            .as("old and new documents alike, one tenant: %s", q)
            .extracting(AuditRecord::getEventId)
            .containsExactly("e2", "e1");
        assertThat(reopened.audit(TenantScope.all(), filter, PageRequest.first(10)).items())
            .as("every tenant: %s", q)
            .extracting(AuditRecord::getEventId)
            .containsExactly("e3", "e2", "e1");
      }
    }
  }

  @Test
  void anIndexWithNormsOnItsCatchAllKeepsThemUntilRebuilt(@TempDir Path old, @TempDir Path fresh)
      throws Exception {
    // An index created at v1.20: the catch-all prefixed, with norms. Lucene refuses a document
    // whose
    // field disagrees with the index's schema, so the index must go on writing them.
    try (FSDirectory directory = FSDirectory.open(old);
        IndexWriter writer = Writers.open(directory, 16)) {
      writer.addDocument(
          Documents.audit(scopeMissing("acme", "e1", 1), null, TermsLayout.PREFIXED));
      Map<String, String> data = new HashMap<>();
      TermsLayout.PREFIXED.putInto(data);
      Writers.commit(writer, data);
    }
    try (LedgerIndex reopened = LedgerIndex.open(old)) {
      reopened.putAudit(scopeMissing("acme", "e2", 2));
      reopened.awaitSearchable();
      assertThat(
              reopened
                  .audit(ACME, AuditFilter.builder().q("missing").build(), PageRequest.first(10))
                  .items())
          .extracting(AuditRecord::getEventId)
          .containsExactly("e2", "e1");
      reopened.commit(Map.of());
    }
    assertThat(catchAllHasNorms(old)).as("a v1.20 index keeps its norms").isTrue();
    try (LedgerIndex created = LedgerIndex.open(fresh)) {
      created.putAudit(scopeMissing("acme", "e1", 1));
      created.awaitSearchable();
      assertThat(
              created
                  .audit(
                      ACME,
                      AuditFilter.builder().q("\"scope missing\"").build(),
                      PageRequest.first(10))
                  .items())
          .extracting(AuditRecord::getEventId)
          .containsExactly("e1");
      created.commit(Map.of());
    }
    assertThat(catchAllHasNorms(fresh)).as("a new index writes none").isFalse();
  }

  /** Whether the committed index in {@code path} has norms on its catch-all field. */
  private static boolean catchAllHasNorms(Path path) throws IOException {
    try (FSDirectory directory = FSDirectory.open(path);
        DirectoryReader reader = DirectoryReader.open(directory)) {
      FieldInfo all = FieldInfos.getMergedFieldInfos(reader).fieldInfo(Fields.ALL);
      assertThat(all).as("the catch-all is indexed").isNotNull();
      return all.hasNorms();
    }
  }

  private static AuditRecord scopeMissing(String tenant, String eventId, int second) {
    return audit(tenant, eventId, T0.plusSeconds(second), "alice", "r1:agent-a")
        .setReason("scope missing")
        .build();
  }

  /** A position from partition, offset pairs. */
  private static RevocationPosition position(long... pairs) {
    Map<Integer, Long> offsets = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      offsets.put((int) pairs[i], pairs[i + 1]);
    }
    return RevocationPosition.of(offsets);
  }

  @Test
  void committedOffsetsSurviveARestartButNotUncommittedDocuments() throws Exception {
    TopicPartition p0 = new TopicPartition("ledger.audit", 0);
    TopicPartition p1 = new TopicPartition("ledger.audit", 1);
    index.putAudit(audit("acme", "e1", T0, "alice", "r:a").build());
    index.commit(Map.of(p0, 5L, p1, 7L));
    index.putAudit(audit("acme", "e2", T0, "alice", "r:a").build());
    index.commit(Map.of(p1, 9L));
    index.putAudit(audit("acme", "e3", T0, "alice", "r:a").build());
    index.crash();
    index = LedgerIndex.open(dir);
    assertThat(index.committedOffsets()).containsExactlyInAnyOrderEntriesOf(Map.of(p0, 5L, p1, 9L));
    assertThat(ids(AuditFilter.empty())).containsExactlyInAnyOrder("e1", "e2");
  }
}
