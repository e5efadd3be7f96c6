package dev.ledger.index;

import static dev.ledger.index.Records.T0;
import static dev.ledger.index.Records.audit;
import static dev.ledger.index.Records.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.schemas.avro.ViolationKind;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point in time (CONTRACT.md section 4, v1.8) on the index alone, with the records Streams writes
 * for this story: Dana's root token {@code r} (the planner's, read and write on the bank, for an
 * hour) is attenuated 10 s later to {@code c} for the scraper (read only), which uses it at 20 s;
 * Dana revokes {@code r} at 60 s, but the ledger hears of it only at 600 s; the scraper uses {@code
 * c} again at 90 s (a use after revocation). {@code e} is a token of its own that expires at 30 s.
 */
class PointInTimeTest {

  private static final String T = "acme";
  private static final String BANK = "https://bank.example";

  @TempDir Path dir;
  LedgerIndex index;

  private static Instant s(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @BeforeEach
  void open() throws Exception {
    index = LedgerIndex.open(dir);
    TokenNode r =
        TokenNode.newBuilder(token(T, "user:dana", s(0), "r:agent:planner"))
            .setScopes(List.of("read", "write"))
            .setAudience(List.of(BANK))
            .setExpiresAt(s(3600))
            .setRecordedAt(s(1))
            .setStatus(TokenStatus.revoked)
            .setRevokedAt(s(60))
            .setRevocationCause("r")
            .build();
    TokenNode c =
        TokenNode.newBuilder(token(T, "user:dana", s(10), "r:agent:planner", "c:agent:scraper"))
            .setScopes(List.of("read"))
            .setAudience(List.of(BANK))
            .setExpiresAt(s(3600))
            .setRecordedAt(s(11))
            .setStatus(TokenStatus.revoked)
            .setRevokedAt(s(60))
            .setRevocationCause("r")
            .setUses(2)
            .build();
    TokenNode e =
        TokenNode.newBuilder(token(T, "user:erin", s(0), "e:agent:scraper"))
            .setScopes(List.of("read"))
            .setAudience(List.of(BANK))
            .setExpiresAt(s(30))
            .setRecordedAt(s(0))
            .setStatus(TokenStatus.expired)
            .build();
    index.putToken(r);
    index.putToken(c);
    index.putToken(e);
    index.putAudit(definition("ev-r", r, "token.issued"));
    index.putAudit(definition("ev-c", c, "token.attenuated"));
    index.putAudit(definition("ev-e", e, "token.issued"));
    index.putAudit(use("ev-u1", s(20), s(21)).build());
    index.putAudit(
        audit(T, "ev-rev", s(60), "user:dana", "r:agent:planner")
            .setType("token.revoked")
            .setResource(null)
            .setAction(null)
            .setOutcome(null)
            .setRecordedAt(s(600))
            .build());
    index.putAudit(
        use("ev-u2", s(90), s(91))
            .setViolations(List.of(ViolationKind.use_after_revocation))
            .build());
    index.awaitSearchable();
  }

  @AfterEach
  void close() {
    index.close();
  }

  private static AuditRecord definition(String eventId, TokenNode t, String type) {
    return AuditRecord.newBuilder()
        .setEventId(eventId)
        .setType(type)
        .setOccurredAt(t.getIssuedAt())
        .setTenant(T)
        .setTokenId(t.getTokenId())
        .setPrincipal(t.getPrincipal())
        .setActor(t.getActor())
        .setChain(t.getChain())
        .setRootId(t.getRootId())
        .setParentId(t.getParentId())
        .setRecordedAt(t.getRecordedAt())
        .build();
  }

  private static AuditRecord.Builder use(String eventId, Instant at, Instant recorded) {
    return audit(T, eventId, at, "user:dana", "r:agent:planner", "c:agent:scraper")
        .setRecordedAt(recorded);
  }

  private Optional<TokenNode> c(Instant at) {
    return index.tokenAt(T, "c", PointInTime.at(at));
  }

  private List<String> authority(
      String actor, String principal, String scope, Instant at, Instant knownAt)
      throws InvalidQueryException {
    return index
        .authority(
            TenantScope.of(T),
            new AuthorityFilter(actor, principal, scope, null, new PointInTime(at, knownAt)),
            PageRequest.first(100))
        .items()
        .stream()
        .map(TokenNode::getTokenId)
        .toList();
  }

  @Test
  void beforeAtAndAfterIssuance() {
    assertThat(c(s(10).minusMillis(1))).isEmpty();
    TokenNode atIssue = c(s(10)).orElseThrow();
    assertThat(atIssue.getStatus()).isEqualTo(TokenStatus.active);
    assertThat(atIssue.getUses()).isZero();
    assertThat(atIssue.getRevokedAt()).isNull();
    assertThat(atIssue.getRevocationCause()).isNull();
    TokenNode after = c(s(20)).orElseThrow();
    assertThat(after.getStatus()).isEqualTo(TokenStatus.active);
    assertThat(after.getUses()).isEqualTo(1);
    // The chain and rights are the token's: they never change.
    assertThat(after.getChain()).isEqualTo(index.token(T, "c").orElseThrow().getChain());
    assertThat(after.getScopes()).containsExactly("read");
  }

  @Test
  void anAncestorsRevocationReachesItFromItsEventTime() {
    assertThat(c(s(60).minusMillis(1)).orElseThrow().getStatus()).isEqualTo(TokenStatus.active);
    TokenNode revoked = c(s(60)).orElseThrow();
    assertThat(revoked.getStatus()).isEqualTo(TokenStatus.revoked);
    assertThat(revoked.getRevokedAt()).isEqualTo(s(60));
    assertThat(revoked.getRevocationCause()).isEqualTo("r");
  }

  @Test
  void expiredOnlyAfterItsExpiry() {
    assertThat(index.tokenAt(T, "e", PointInTime.at(s(30))).orElseThrow().getStatus())
        .isEqualTo(TokenStatus.active);
    assertThat(index.tokenAt(T, "e", PointInTime.at(s(30).plusMillis(1))).orElseThrow().getStatus())
        .isEqualTo(TokenStatus.expired);
  }

  @Test
  void aLateRevocationCountsOnlyFromWhenTheLedgerRecordedIt() {
    PointInTime before = new PointInTime(s(70), s(599));
    PointInTime after = new PointInTime(s(70), s(600));
    assertThat(index.tokenAt(T, "c", before).orElseThrow().getStatus())
        .isEqualTo(TokenStatus.active);
    TokenNode known = index.tokenAt(T, "c", after).orElseThrow();
    assertThat(known.getStatus()).isEqualTo(TokenStatus.revoked);
    assertThat(known.getRevocationCause()).isEqualTo("r");
    // Nor does a token count before the ledger recorded its definition.
    assertThat(index.tokenAt(T, "c", new PointInTime(s(70), s(10)))).isEmpty();
  }

  @Test
  void usesAndViolationsCountBySituationAtT() {
    assertThat(c(s(89)).orElseThrow().getViolations()).isEmpty();
    TokenNode later = c(s(90)).orElseThrow();
    assertThat(later.getUses()).isEqualTo(2);
    assertThat(later.getViolations()).containsExactly(ViolationKind.use_after_revocation);
    assertThat(index.tokenAt(T, "c", new PointInTime(s(90), s(90))).orElseThrow().getUses())
        .isEqualTo(1);
  }

  @Test
  void authorityListsWhatAnActorHeldInForce() throws Exception {
    assertThat(authority("agent:scraper", null, null, s(5), null)).containsExactly("e");
    assertThat(authority("agent:scraper", null, null, s(20), null)).containsExactly("c", "e");
    assertThat(authority("agent:scraper", null, null, s(40), null)).containsExactly("c");
    assertThat(authority("agent:scraper", null, null, s(60), null)).isEmpty();
    // As the ledger knew it before the revocation arrived.
    assertThat(authority("agent:scraper", null, null, s(60), s(599))).containsExactly("c");
    assertThat(authority("agent:scraper", null, null, s(60), s(600))).isEmpty();
    TokenNode item =
        index
            .authority(
                TenantScope.of(T),
                new AuthorityFilter("agent:scraper", null, null, BANK, PointInTime.at(s(40))),
                PageRequest.first(10))
            .items()
            .getFirst();
    assertThat(item.getPrincipal()).isEqualTo("user:dana");
    assertThat(item.getUses()).isEqualTo(1);
    assertThat(item.getStatus()).isEqualTo(TokenStatus.active);
  }

  @Test
  void authorityOnBehalfOfAPrincipalWithAScope() throws Exception {
    assertThat(authority(null, "user:dana", null, s(20), null)).containsExactly("c", "r");
    assertThat(authority(null, "user:dana", "write", s(20), null)).containsExactly("r");
    assertThat(authority("agent:planner", "user:dana", null, s(20), null)).containsExactly("r");
    assertThatThrownBy(() -> authority(null, null, null, s(20), null))
        .isInstanceOfSatisfying(
            InvalidQueryException.class,
            e ->
                assertThat(e.problems())
                    .extracting(InvalidQueryException.Problem::parameter)
                    .containsExactly("actor"));
  }

  @Test
  void authorityPagesSkipRevokedCandidates() throws Exception {
    // Many scraper tokens, every other one revoked through its own revocation only known later.
    for (int i = 0; i < 30; i++) {
      TokenNode t =
          TokenNode.newBuilder(token(T, "user:fay", s(100 + i), "f" + i + ":agent:pager"))
              .setRecordedAt(s(100 + i))
              .build();
      index.putToken(t);
      if (i % 2 == 1) {
        index.putAudit(
            audit(T, "rev-f" + i, s(150), "user:fay", "f" + i + ":agent:pager")
                .setType("token.revoked")
                .setOutcome(null)
                .setRecordedAt(s(151))
                .build());
      }
    }
    index.awaitSearchable();
    PointInTime at = new PointInTime(s(200), null);
    List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    do {
      Page<TokenNode> page =
          index.authority(
              TenantScope.of(T),
              new AuthorityFilter("agent:pager", null, null, null, at),
              new PageRequest(4, cursor));
      assertThat(page.items().size()).isLessThanOrEqualTo(4);
      page.items().forEach(t -> seen.add(t.getTokenId()));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(seen)
        .hasSize(15)
        .allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 0)
        .doesNotHaveDuplicates();
  }

  @Test
  void historyListsTransitionsInEventTimeOrderWithRecordTimes() throws Exception {
    TokenNode c = index.token(T, "c").orElseThrow();
    List<Transition> all = index.history(c, PageRequest.first(100), s(100_000)).items();
    assertThat(all)
        .extracting(Transition::kind)
        .containsExactly(
            Transition.Kind.attenuated,
            Transition.Kind.used,
            Transition.Kind.revoked,
            Transition.Kind.used,
            Transition.Kind.violation,
            Transition.Kind.expired);
    Transition revoked = all.get(2);
    assertThat(revoked.tokenId()).isEqualTo("r");
    assertThat(revoked.occurredAt()).isEqualTo(s(60));
    assertThat(revoked.recordedAt()).isEqualTo(s(600));
    assertThat(all.get(4).violation()).isEqualTo(ViolationKind.use_after_revocation);
    assertThat(all.get(5).occurredAt()).isEqualTo(s(3600));

    // Paged by events: the expiry lands on the page that encloses it, nothing repeats.
    List<Transition.Kind> paged = new java.util.ArrayList<>();
    String cursor = null;
    do {
      Page<Transition> page = index.history(c, new PageRequest(2, cursor), s(100_000));
      page.items().forEach(t -> paged.add(t.kind()));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(paged).isEqualTo(all.stream().map(Transition::kind).toList());
    // Before it expires, no expiry.
    assertThat(index.history(c, PageRequest.first(100), s(3600)).items())
        .extracting(Transition::kind)
        .doesNotContain(Transition.Kind.expired);
  }

  @Test
  void aUseIsStillOneAddedDocument() throws Exception {
    var before = index.writes();
    for (int i = 0; i < 50; i++) {
      index.putAudit(use("ev-more-" + i, s(30), s(31)).build());
    }
    assertThat(index.writes().minus(before))
        .isEqualTo(new dev.ledger.index.internal.WriteCounts.Snapshot(50, 0, 0));
    index.awaitSearchable();
    assertThat(c(s(30)).orElseThrow().getUses()).isEqualTo(51);
  }
}
