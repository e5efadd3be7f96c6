package dev.ledger.streams.internal;

import static dev.ledger.streams.internal.TreeFixture.EXPIRES;
import static dev.ledger.streams.testing.Events.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.schemas.avro.TokenStatus;
import dev.ledger.streams.testing.Events;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ExpiryTest {

  private final TreeFixture f = new TreeFixture();
  private final Expiry expiry = f.processor.expiry();

  @Test
  void theIndexGivesEachTokenOnceWhenItsTimeHasCome() {
    expiry.schedule("t/x", Instant.ofEpochMilli(5_000));
    expiry.schedule("t/y", Instant.ofEpochMilli(9_000));
    expiry.schedule("t/never", null);
    assertThat(expiry.takeExpired(4_999)).isEmpty();
    assertThat(expiry.takeExpired(6_000)).containsExactly("t/x");
    assertThat(expiry.takeExpired(6_000)).as("taken out").isEmpty();
    assertThat(expiry.takeExpired(Long.MAX_VALUE / 1000)).containsExactly("t/y");
  }

  @Test
  void aNoticeOfATokenAlreadySweptPutsItBackForItsTombstone() {
    expiry.tombstoneLater("t/x", Instant.ofEpochMilli(5_000), 4_000);
    assertThat(expiry.takeExpired(6_000))
        .as("not expired then: still indexed, not added")
        .isEmpty();
    expiry.tombstoneLater("t/x", Instant.ofEpochMilli(5_000), 7_000);
    assertThat(expiry.takeExpired(7_000)).containsExactly("t/x");
    expiry.tombstoneLater("t/never", null, 7_000);
    assertThat(expiry.takeExpired(Long.MAX_VALUE / 1000)).isEmpty();
  }

  @Test
  void expiredRevokedTokensGetTombstonesAndExpiredOnesAreReEmitted() {
    f.buildTree();
    f.tree(Events.revoked("t", "rev-b", "b", T0.plusSeconds(1)));
    f.h.clear().punctuate(EXPIRES.toEpochMilli() + 1);
    assertThat(f.sent(Outputs.REVOCATIONS))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.key()).isEqualTo("t/b");
              assertThat(r.value()).isNull();
            });
    assertThat(f.sent(Outputs.TOKENS))
        .extracting(r -> TreeFixture.node(r).getStatus())
        .containsOnly(TokenStatus.expired)
        .hasSize(2);
    f.h.clear().punctuate(EXPIRES.toEpochMilli() + 10_000);
    assertThat(f.sent(Outputs.TOKENS)).as("only tokens that just expired").isEmpty();
  }

  @Test
  void theSweepBringsInLineATokenWhoseFollowUpIsStillOnItsWay() {
    f.buildTree();
    f.h.holdingFollowUps();
    f.tree(Events.revoked("t", "rev-r", "r", T0.plusSeconds(1)));
    f.h.clear();
    long now = EXPIRES.toEpochMilli() + 1;
    f.h.context.setCurrentSystemTimeMs(now);
    expiry.sweep(now, f.processor.cascade());
    assertThat(f.sent(Outputs.REVOCATIONS))
        .as("tombstones for all three")
        .extracting(r -> r.key() + "=" + r.value())
        .containsExactlyInAnyOrder("t/r=null", "t/a=null", "t/b=null");
    assertThat(f.latest("t/b").getRevocationCause()).isEqualTo("r");
    assertThat(f.latest("t/b").getStatus())
        .as("revoked wins over expired")
        .isEqualTo(TokenStatus.revoked);
  }
}
