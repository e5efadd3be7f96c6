package dev.ledger.revocation.internal;

import dev.ledger.revocation.Revocation;
import dev.ledger.revocation.RevocationSettings;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one lookup on a caught-up source holding {@code size} revocations in the given {@code
 * store}: the path a resource server takes on every request. Not a test: run it on demand
 * (docs/BENCHMARKS-revocation.md). Token ids are built in setup and their hash codes are cached
 * after the first pass, so the figures exclude building and hashing the id string (a few
 * nanoseconds for a short id).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class RevocationLookupBenchmark {

  /** A source fed directly, as its follower thread would after the bootstrap. */
  static final class Loaded extends SourceCore {
    private final RevocationStore store;

    Loaded(RevocationSettings settings, RevocationStore store) {
      super(settings, store);
      this.store = store;
    }

    void load(Revocation r) {
      apply(r);
    }

    void caughtUp() {
      markCaughtUp();
    }

    @Override
    public long lag() {
      return 0;
    }

    @Override
    public void close() {
      store.close();
    }
  }

  @Param({"1000", "1000000"})
  int size;

  @Param({"memory", "rocksdb"})
  String store;

  private Loaded source;
  private String[] revoked;
  private String[] unknown;
  private int i;

  @Setup(Level.Trial)
  public void load() {
    RevocationSettings settings =
        RevocationSettings.builder()
            .store(RevocationSettings.Store.valueOf(store.toUpperCase(java.util.Locale.ROOT)))
            .build();
    source = new Loaded(settings, RevocationStore.open(settings));
    Instant at = Instant.parse("2026-03-01T12:00:00Z");
    for (int n = 0; n < size; n++) {
      String id = "tok-" + n;
      source.load(
          new Revocation("acme", id, at, n % 10 == 0 ? "root-" + n : id, at.plusSeconds(3600)));
    }
    source.caughtUp();
    int sample = 1 << 16;
    revoked = new String[sample];
    unknown = new String[sample];
    java.util.Random random = new java.util.Random(42);
    for (int n = 0; n < sample; n++) {
      revoked[n] = new String("tok-" + random.nextInt(size));
      unknown[n] = new String("other-" + random.nextInt(size));
    }
  }

  @TearDown(Level.Trial)
  public void close() {
    source.close();
  }

  @Benchmark
  public boolean isRevokedHit() {
    return source.isRevoked("acme", revoked[i++ & (revoked.length - 1)]);
  }

  @Benchmark
  public boolean isRevokedMiss() {
    return source.isRevoked("acme", unknown[i++ & (unknown.length - 1)]);
  }

  @Benchmark
  public Optional<Revocation> lookupHit() {
    return source.lookup("acme", revoked[i++ & (revoked.length - 1)]);
  }
}
