package dev.ledger.index;

import static dev.ledger.index.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.AuditRecord;
import dev.ledger.schemas.avro.TokenNode;
import dev.ledger.schemas.avro.TokenStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read-your-writes on a real Lucene index ({@link LedgerIndex#awaitEvents}, {@code EventWaits}): a
 * wait ends once the records derived from its events are searchable, and only then, or at its
 * deadline with what it did not see.
 */
class EventWaitsTest {

  private static final Duration LONG = Duration.ofSeconds(10);

  @TempDir Path dir;
  LedgerIndex index;

  @BeforeEach
  void open() throws Exception {
    index = LedgerIndex.open(dir);
    // A use of another event, searchable: what settle() waits for.
    index.putAudit(use("acme", "ev-settle", "tok-a"));
    index.awaitSearchable();
  }

  @AfterEach
  void close() {
    index.close();
  }

  @Test
  void aWaitForEventsAlreadySearchableEndsAtOnce() throws Exception {
    index.putAudit(use("acme", "ev-1", "tok-a"));
    index.awaitSearchable();
    long start = System.nanoTime();
    AwaitedEvents done = index.awaitEvents("acme", List.of("ev-1"), LONG).get(5, TimeUnit.SECONDS);
    assertThat(done.allSeen()).isTrue();
    assertThat(done.notSeen()).isEmpty();
    // Well before the 10 s deadline (a loaded machine may take a while to answer at all).
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    // Any tenant (a tenant=* reader) sees it too.
    assertThat(index.awaitEvents(null, List.of("ev-1"), LONG).get(5, TimeUnit.SECONDS).allSeen())
        .isTrue();
  }

  @Test
  void aWaitEndsWithTheRefreshThatMakesItsEventSearchable() throws Exception {
    CompletableFuture<AwaitedEvents> wait = index.awaitEvents("acme", List.of("ev-2"), LONG);
    settle();
    assertThat(wait).isNotDone();
    index.putAudit(use("acme", "ev-2", "tok-a"));
    // No awaitSearchable: the scheduled reopen alone must end the wait.
    assertThat(wait.get(5, TimeUnit.SECONDS).allSeen()).isTrue();
  }

  @Test
  void aWaitExpiresWithTheIdsItDidNotSee() throws Exception {
    index.putAudit(use("acme", "ev-3", "tok-a"));
    index.awaitSearchable();
    long start = System.nanoTime();
    AwaitedEvents expired =
        index
            .awaitEvents(
                "acme", List.of("ev-never", "ev-3", "ev-also-never"), Duration.ofMillis(300))
            .get(5, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(expired.allSeen()).isFalse();
    assertThat(expired.notSeen()).containsExactly("ev-never", "ev-also-never");
    assertThat(took)
        .isGreaterThanOrEqualTo(Duration.ofMillis(300))
        .isLessThan(Duration.ofSeconds(5));
    // Another tenant's event of the same id is not this tenant's.
    assertThat(
            index
                .awaitEvents("globex", List.of("ev-3"), Duration.ofMillis(100))
                .get(5, TimeUnit.SECONDS)
                .notSeen())
        .containsExactly("ev-3");
  }

  @Test
  void severalWaitsEndEachWithItsOwnEvents() throws Exception {
    CompletableFuture<AwaitedEvents> first = index.awaitEvents("acme", List.of("ev-a"), LONG);
    CompletableFuture<AwaitedEvents> both =
        index.awaitEvents("acme", List.of("ev-a", "ev-b"), LONG);
    CompletableFuture<AwaitedEvents> other = index.awaitEvents("acme", List.of("ev-c"), LONG);
    index.putAudit(use("acme", "ev-a", "tok-a"));
    assertThat(first.get(5, TimeUnit.SECONDS).allSeen()).isTrue();
    settle();
    assertThat(both).isNotDone();
    assertThat(other).isNotDone();
    index.putAudit(use("acme", "ev-b", "tok-a"));
    assertThat(both.get(5, TimeUnit.SECONDS).allSeen()).isTrue();
    settle();
    assertThat(other).isNotDone();
    index.putAudit(use("acme", "ev-c", "tok-a"));
    assertThat(other.get(5, TimeUnit.SECONDS).allSeen()).isTrue();
  }

  @Test
  void aDefinitionNeedsItsTokensResolvedDocumentToo() throws Exception {
    index.putAudit(
        Records.audit("acme", "ev-def", T0, "user:dana", "tok-root:agent:a", "tok-child:agent:b")
            .setType("token.exchanged")
            .build());
    index.awaitSearchable();
    CompletableFuture<AwaitedEvents> wait = index.awaitEvents("acme", List.of("ev-def"), LONG);
    settle();
    assertThat(wait).as("audit record alone").isNotDone();

    // The pending document (root not known yet) is not the one the audit record describes.
    TokenNode resolved =
        Records.token("acme", "user:dana", T0, "tok-root:agent:a", "tok-child:agent:b");
    index.putToken(
        TokenNode.newBuilder(resolved)
            .setRootId(null)
            .setChain(List.of())
            .setStatus(TokenStatus.pending)
            .build());
    index.awaitSearchable();
    settle();
    assertThat(wait).as("pending token document").isNotDone();

    index.putToken(resolved);
    assertThat(wait.get(5, TimeUnit.SECONDS).allSeen()).isTrue();
  }

  @Test
  void aRevocationNeedsTheRevocationOnTheRevokedTokensDocument() throws Exception {
    TokenNode token = Records.token("acme", "user:dana", T0, "tok-r:agent:a");
    index.putToken(token);
    index.putAudit(
        Records.audit("acme", "ev-rev", T0.plusSeconds(60), "user:dana", "tok-r:agent:a")
            .setType("token.revoked")
            .build());
    index.awaitSearchable();
    CompletableFuture<AwaitedEvents> wait = index.awaitEvents("acme", List.of("ev-rev"), LONG);
    settle();
    assertThat(wait).as("token document not revoked yet").isNotDone();

    // A revocation in force only later is another one.
    index.putToken(revoked(token, T0.plusSeconds(120)));
    index.awaitSearchable();
    settle();
    assertThat(wait).as("revoked later than this revocation").isNotDone();

    index.putToken(revoked(token, T0.plusSeconds(60)));
    assertThat(wait.get(5, TimeUnit.SECONDS).allSeen()).isTrue();
  }

  @Test
  void closingTheIndexEndsEveryPendingWait() throws Exception {
    CompletableFuture<AwaitedEvents> wait =
        index.awaitEvents("acme", List.of("ev-settle", "ev-never"), LONG);
    settle();
    index.close();
    // Ended by the close, not by its 10 s deadline.
    AwaitedEvents ended = wait.get(2, TimeUnit.SECONDS);
    assertThat(ended.notSeen()).containsExactly("ev-never");
    // Asked after closing: ends at once, nothing seen.
    assertThat(index.awaitEvents("acme", List.of("ev-x"), LONG).get(1, TimeUnit.SECONDS).notSeen())
        .containsExactly("ev-x");
    index = LedgerIndex.open(dir); // for close()
  }

  /**
   * Returns once every check queued so far has run: waits are checked in order on one thread, so a
   * wait for a searchable event ending means the checks before it are done.
   */
  private void settle() throws Exception {
    assertThat(
            index
                .awaitEvents("acme", List.of("ev-settle"), LONG)
                .get(5, TimeUnit.SECONDS)
                .allSeen())
        .isTrue();
  }

  private static AuditRecord use(String tenant, String eventId, String tokenId) {
    return Records.audit(tenant, eventId, T0, "user:dana", tokenId + ":agent:a").build();
  }

  private static TokenNode revoked(TokenNode token, java.time.Instant at) {
    return TokenNode.newBuilder(token)
        .setStatus(TokenStatus.revoked)
        .setRevokedAt(at)
        .setRevocationCause(token.getTokenId())
        .build();
  }
}
