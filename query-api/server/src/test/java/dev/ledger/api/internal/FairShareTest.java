package dev.ledger.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ledger.api.auth.Caller;
import dev.ledger.api.auth.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FairShareTest {

  @Test
  void limitsEachHolderAndTheTotalAndGivesSlotsBack() {
    FairShare share = new FairShare("things", 3, 2);
    FairShare.Lease a1 = share.acquire("a");
    FairShare.Lease a2 = share.acquire("a");
    assertThatThrownBy(() -> share.acquire("a"))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.getMessage())
                  .contains("too many things for this credential (at most 2)");
            });
    FairShare.Lease b1 = share.acquire("b");
    assertThatThrownBy(() -> share.acquire("c")).hasMessageContaining("at most 3 in all");
    assertThat(share.inUse()).isEqualTo(3);
    a1.close();
    a1.close();
    assertThat(share.inUse()).isEqualTo(2);
    share.acquire("c").close();
    a2.close();
    b1.close();
    assertThat(share.inUse()).isZero();
  }

  @Test
  void aCredentialCheckNoticesRevocationWithinTheRecheckIntervalAndExpiryAtOnce() throws Exception {
    AtomicBoolean revoked = new AtomicBoolean();
    AtomicInteger asked = new AtomicInteger();
    Caller caller = new Caller("k", Role.auditor, "acme");
    CredentialCheck check =
        new CredentialCheck(
            c -> {
              asked.incrementAndGet();
              return revoked.get() ? Optional.empty() : Optional.of(caller);
            },
            "secret",
            caller,
            Duration.ofMillis(100),
            Clock.systemUTC());
    for (int i = 0; i < 1000; i++) {
      assertThat(check.stillValid()).isTrue();
    }
    assertThat(asked.get()).as("the store is not asked on every write").isLessThanOrEqualTo(1);
    revoked.set(true);
    // Noticed at the next recheck, 100 ms on.
    await().atMost(Duration.ofSeconds(2)).until(() -> !check.stillValid());

    Instant exp = Instant.parse("2026-11-20T10:00:00Z");
    Caller jwt = new Caller("jwt:svc", Role.auditor, "acme", exp);
    assertThat(
            new CredentialCheck(
                    c -> Optional.of(jwt),
                    "jwt",
                    jwt,
                    Duration.ofHours(1),
                    Clock.fixed(exp.minusSeconds(1), ZoneOffset.UTC))
                .stillValid())
        .isTrue();
    assertThat(
            new CredentialCheck(
                    c -> Optional.of(jwt),
                    "jwt",
                    jwt,
                    Duration.ofHours(1),
                    Clock.fixed(exp, ZoneOffset.UTC))
                .stillValid())
        .as("expired, whatever the JWT's clock skew")
        .isFalse();
  }
}
