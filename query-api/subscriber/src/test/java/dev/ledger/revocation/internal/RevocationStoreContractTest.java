package dev.ledger.revocation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.revocation.Revocation;
import dev.ledger.revocation.RevocationSettings;
import dev.ledger.revocation.RevocationSettings.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every {@link RevocationStore} must do, run against each kind the settings can name. */
class RevocationStoreContractTest {

  private static final Instant AT = Instant.parse("2026-01-01T10:00:00.123Z");

  private final List<RevocationStore> opened = new ArrayList<>();

  private RevocationStore open(Store kind) {
    RevocationStore store = RevocationStore.open(RevocationSettings.builder().store(kind).build());
    opened.add(store);
    return store;
  }

  @AfterEach
  void close() {
    opened.forEach(RevocationStore::close);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void keepsEveryFieldOfARevocation(Store kind) {
    RevocationStore store = open(kind);
    Revocation self = new Revocation("acme", "root", AT, "root", null);
    Revocation child = new Revocation("acme", "child", AT, "root", AT.plusSeconds(3600));
    store.put(self);
    store.put(child);
    assertThat(store.get("acme", "root")).isEqualTo(self);
    assertThat(store.get("acme", "child")).isEqualTo(child);
    assertThat(store.contains("acme", "root")).isTrue();
    assertThat(store.contains("acme", "child")).isTrue();
    assertThat(store.contains("acme", "nobody")).isFalse();
    assertThat(store.get("acme", "nobody")).isNull();
    assertThat(store.size()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void tenantsDoNotMix(Store kind) {
    RevocationStore store = open(kind);
    Revocation acme = new Revocation("acme", "tok", AT, "tok", null);
    Revocation globex =
        new Revocation("globex", "tok", AT.plusSeconds(5), "root", AT.plusSeconds(60));
    store.put(acme);
    store.put(globex);
    // Same bytes once tenant and token are run together: the key must keep them apart.
    store.put(new Revocation("ab", "c", AT, "c", null));
    assertThat(store.get("acme", "tok")).isEqualTo(acme);
    assertThat(store.get("globex", "tok")).isEqualTo(globex);
    assertThat(store.contains("initech", "tok")).isFalse();
    assertThat(store.contains("a", "bc")).isFalse();
    assertThat(store.size()).isEqualTo(3);
    assertThat(store.remove("acme", "tok")).isTrue();
    assertThat(store.contains("acme", "tok")).isFalse();
    assertThat(store.get("globex", "tok")).isEqualTo(globex);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void anOverwriteReplacesWithoutCountingTwice(Store kind) {
    RevocationStore store = open(kind);
    store.put(new Revocation("t", "a", AT, "a", AT.plusSeconds(60)));
    Revocation later = new Revocation("t", "a", AT.plusSeconds(1), "p", null);
    store.put(later);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.get("t", "a")).isEqualTo(later);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aRemoveForgetsOnceAndOnlyWhatWasThere(Store kind) {
    RevocationStore store = open(kind);
    store.put(new Revocation("t", "a", AT, "a", null));
    assertThat(store.remove("t", "b")).isFalse();
    assertThat(store.remove("nobody", "a")).isFalse();
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.remove("t", "a")).isTrue();
    assertThat(store.remove("t", "a")).isFalse();
    assertThat(store.contains("t", "a")).isFalse();
    assertThat(store.get("t", "a")).isNull();
    assertThat(store.size()).isZero();
    store.put(new Revocation("t", "a", AT, "a", null));
    assertThat(store.size()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void oddIdsLongCausesAndExtremeTimesComeBackUnchanged(Store kind) {
    RevocationStore store = open(kind);
    String longCause = "cause-".repeat(200) + "é😀";
    List<Revocation> odd =
        List.of(
            new Revocation("t", "tök-ü-😀", AT, "tök-ü-😀", null),
            new Revocation("t", "short", AT, longCause, AT.plusSeconds(1)),
            new Revocation(
                "t",
                "x".repeat(1000),
                Instant.ofEpochMilli(-86_400_000L),
                "r",
                Instant.ofEpochMilli(0)),
            new Revocation(
                "t",
                "future",
                Instant.parse("9999-12-31T23:59:59.999Z"),
                "future",
                Instant.parse("2000-01-01T00:00:00Z")));
    odd.forEach(store::put);
    for (Revocation r : odd) {
      assertThat(store.get(r.tenant(), r.tokenId())).isEqualTo(r);
      assertThat(store.contains(r.tenant(), r.tokenId())).isTrue();
    }
    assertThat(store.contains("t", "tök-ü-😁")).isFalse();
    assertThat(store.size()).isEqualTo(odd.size());
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void readersOnManyThreadsSeeEveryWriteOfTheOneWriter(Store kind) throws Exception {
    RevocationStore store = open(kind);
    int stable = 2_000;
    for (int i = 0; i < stable; i++) {
      store.put(new Revocation("t", "stable-" + i, AT, "root-" + i / 10, null));
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    CompletableFuture<Integer> writer =
        CompletableFuture.supplyAsync(
            () -> {
              int rounds = 0;
              for (int i = 0; i < 20_000; i++) {
                store.put(new Revocation("t", "churn-" + i % 500, AT, "churn-" + i % 500, null));
                assertThat(store.contains("t", "churn-" + i % 500))
                    .as("visible once put returns")
                    .isTrue();
                if (i % 3 == 0) {
                  store.remove("t", "churn-" + i % 500);
                }
                rounds++;
              }
              writing.set(false);
              return rounds;
            });
    List<CompletableFuture<Long>> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      readers.add(
          CompletableFuture.supplyAsync(
              () -> {
                long checks = 0;
                while (writing.get() || checks < stable) {
                  int i = (int) (checks % stable);
                  assertThat(store.contains("t", "stable-" + i)).isTrue();
                  assertThat(store.get("t", "stable-" + i).revocationCause())
                      .isEqualTo("root-" + i / 10);
                  checks++;
                }
                return checks;
              }));
    }
    assertThat(writer.get(60, TimeUnit.SECONDS)).isEqualTo(20_000);
    for (CompletableFuture<Long> reader : readers) {
      assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
    }
    long churnLeft =
        java.util.stream.IntStream.range(0, 500)
            .filter(i -> store.contains("t", "churn-" + i))
            .count();
    assertThat(store.size()).isEqualTo(stable + churnLeft);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void lookupsAfterCloseDoNotFail(Store kind) {
    RevocationStore store = open(kind);
    store.put(new Revocation("t", "a", AT, "a", null));
    store.close();
    store.close();
    store.contains("t", "a");
    store.get("t", "a");
    assertThat(store.size()).isEqualTo(1);
  }
}
