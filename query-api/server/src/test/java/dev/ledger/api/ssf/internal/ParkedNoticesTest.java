package dev.ledger.api.ssf.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.api.AuditLogs.SettableClock;
import dev.ledger.schemas.avro.RevocationNotice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ParkedNoticesTest {
  private static final TopicPartition TP = new TopicPartition("ledger.revocations", 0);
  private static final Instant START = Instant.parse("2026-12-05T08:00:00Z");
  private final SettableClock clock = new SettableClock(START);
  private final ParkedNotices parked = new ParkedNotices(Duration.ofSeconds(5), clock);
  private final Set<String> indexed = new HashSet<>();
  private final List<String> tries = new ArrayList<>();

  /** Makes a SET once the index knows the token, or on the last try without it. */
  private NoticeOutcome attempt(ParkedNotices.Parked p, boolean lastTry) {
    String token = p.notice().getTokenId();
    tries.add(token);
    if (indexed.contains(token)) {
      return new NoticeOutcome.Set("set-" + token);
    }
    return lastTry ? new NoticeOutcome.Set("bare-" + token) : NoticeOutcome.NOT_YET;
  }

  @Test
  void anOtherCascadeIsNotHeldBackByAParkedNotice() {
    parked.park("s:0:1", TP, 1, notice("tok-root", "tok-root"));

    assertThat(parked.holdsBack(notice("tok-other", "tok-other"))).isFalse();
    assertThat(parked.holdsBack(notice("tok-child", "tok-root"))).isTrue();
    assertThat(parked.holdsBack(notice("tok-root", "tok-elsewhere"))).isTrue();
  }

  @Test
  void aParkedNoticeIsMadeOnceItsTokenIsIndexedAndItsCascadeFollowsInOrder() {
    parked.park("s:0:1", TP, 1, notice("tok-root", "tok-root"));
    parked.park("s:0:2", TP, 2, notice("tok-child", "tok-root"));
    indexed.add("tok-child");

    // The child is indexed but waits behind its cascade's root: it is not even tried.
    assertThat(parked.retry(this::attempt)).isEmpty();
    assertThat(tries).containsExactly("tok-root");
    assertThat(parked.size()).isEqualTo(2);

    indexed.add("tok-root");
    List<ParkedNotices.Resolved> resolved = parked.retry(this::attempt);
    assertThat(resolved)
        .extracting(r -> ((NoticeOutcome.Set) r.outcome()).set())
        .containsExactly("set-tok-root", "set-tok-child");
    assertThat(resolved).extracting(r -> r.parked().offset()).containsExactly(1L, 2L);
    assertThat(parked.size()).isZero();
  }

  @Test
  void afterTheLongestWaitANoticeIsMadeWithWhatIsKnown() {
    parked.park("s:0:1", TP, 1, notice("tok-root", "tok-root"));
    clock.set(START.plusSeconds(4));
    parked.park("s:0:7", TP, 7, notice("tok-late", "tok-late"));
    assertThat(parked.retry(this::attempt)).isEmpty();

    clock.set(START.plusSeconds(5));
    List<ParkedNotices.Resolved> resolved = parked.retry(this::attempt);
    assertThat(resolved)
        .extracting(r -> ((NoticeOutcome.Set) r.outcome()).set())
        .containsExactly("bare-tok-root");
    assertThat(parked.size()).isEqualTo(1);

    clock.set(START.plusSeconds(9));
    assertThat(parked.retry(this::attempt))
        .extracting(r -> ((NoticeOutcome.Set) r.outcome()).set())
        .containsExactly("bare-tok-late");
  }

  @Test
  void clearingHandsBackEveryParkedNotice() {
    parked.park("s:0:1", TP, 1, notice("a", "a"));
    parked.park("s:0:3", TP, 3, notice("b", "b"));

    assertThat(parked.clear()).extracting(ParkedNotices.Parked::offset).containsExactly(1L, 3L);
    assertThat(parked.size()).isZero();
  }

  private static RevocationNotice notice(String token, String cause) {
    return RevocationNotice.newBuilder()
        .setTenant("acme")
        .setTokenId(token)
        .setRevocationCause(cause)
        .setRevokedAt(START)
        .build();
  }
}
