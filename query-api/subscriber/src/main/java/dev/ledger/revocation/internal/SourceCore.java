package dev.ledger.revocation.internal;

import dev.ledger.revocation.Revocation;
import dev.ledger.revocation.RevocationListener;
import dev.ledger.revocation.RevocationSettings;
import dev.ledger.revocation.RevocationSource;
import dev.ledger.revocation.SubscriberStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Kafka and SSE sources share: the store, fail-closed lookups, listeners, the caught-up
 * latch and the health counters. A subclass feeds it from one thread through {@link #apply}, {@link
 * #forget}, {@link #markCaughtUp} and the contact/error reporters.
 */
abstract class SourceCore implements RevocationSource {

  private static final Logger LOG = LoggerFactory.getLogger(SourceCore.class);

  protected final RevocationSettings settings;
  private final RevocationStore store;
  private final String tenantFilter;
  private final CopyOnWriteArrayList<RevocationListener> listeners;
  private final CountDownLatch caughtUpLatch = new CountDownLatch(1);
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile boolean caughtUp;
  private volatile boolean connected;
  private volatile Instant lastContact;
  private volatile String lastError;

  /**
   * Set once the store failed a write: the copy is incomplete from then on, so every token is
   * refused.
   */
  private volatile String storeFailure;

  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();

  SourceCore(RevocationSettings settings, RevocationStore store) {
    this.settings = settings;
    this.store = store;
    this.tenantFilter = settings.tenantFilter();
    this.listeners = new CopyOnWriteArrayList<>(settings.listeners());
  }

  @Override
  public final boolean isRevoked(String tenant, String tokenId) {
    checkTenant(tenant, tokenId);
    if (storeFailure != null || (!caughtUp && settings.failClosed())) {
      return true;
    }
    return store.contains(tenant, tokenId);
  }

  @Override
  public final Optional<Revocation> lookup(String tenant, String tokenId) {
    checkTenant(tenant, tokenId);
    return Optional.ofNullable(store.get(tenant, tokenId));
  }

  private void checkTenant(String tenant, String tokenId) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(tokenId, "tokenId");
    if (tenantFilter != null && !tenantFilter.equals(tenant)) {
      throw new IllegalArgumentException(
          "this source follows tenant " + tenantFilter + " only, not " + tenant);
    }
  }

  @Override
  public final void addListener(RevocationListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public final boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUpLatch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public final boolean isCaughtUp() {
    return caughtUp;
  }

  @Override
  public final SubscriberStatus status() {
    return new SubscriberStatus(
        caughtUp,
        connected,
        lag(),
        store.size(),
        applied.get(),
        skipped.get(),
        lastContact,
        storeFailure != null ? storeFailure : lastError);
  }

  /**
   * Stores a notice and tells the listeners; notices of other tenants than the followed one are
   * ignored.
   */
  protected final void apply(Revocation revocation) {
    change(
        revocation.tenant(),
        revocation.tokenId(),
        () -> store.put(revocation),
        l -> l.onRevoked(revocation),
        "notice");
  }

  /** Applies a tombstone. */
  protected final void forget(String tenant, String tokenId) {
    change(
        tenant,
        tokenId,
        () -> store.remove(tenant, tokenId),
        l -> l.onForgotten(tenant, tokenId),
        "tombstone");
  }

  /**
   * One change of the followed tenant: written to the store (a failed write fails the source
   * closed), counted, then told to every listener; a listener that throws is logged and the others
   * still hear it.
   */
  private void change(
      String tenant,
      String tokenId,
      Runnable write,
      Consumer<RevocationListener> tell,
      String what) {
    if (tenantFilter != null && !tenantFilter.equals(tenant)) {
      return;
    }
    try {
      write.run();
    } catch (RuntimeException e) {
      storeFailed(e);
      return;
    }
    applied.incrementAndGet();
    for (RevocationListener l : listeners) {
      try {
        tell.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("revocation listener {} failed on {} {}/{}", l, what, tenant, tokenId, e);
      }
    }
  }

  /**
   * A store that cannot write (a full disk under a RocksDB store) has lost a notice: skipping it
   * would let a revoked token through, so the source fails closed for good and says why.
   */
  private void storeFailed(RuntimeException e) {
    if (storeFailure == null) {
      storeFailure = "revocation store failed, refusing every token: " + e.getMessage();
      LOG.error("{} {}", settings.clientName(), storeFailure);
    }
  }

  /** A record that could not be read: counted and logged, never fatal. */
  protected final void skip(String what, Exception cause) {
    skipped.incrementAndGet();
    LOG.warn("skipping unreadable revocation record {}: {}", what, cause.getMessage());
  }

  protected final void markCaughtUp() {
    if (!caughtUp) {
      caughtUp = true;
      caughtUpLatch.countDown();
      LOG.info("{} caught up: {} live revocations", settings.clientName(), store.size());
    }
  }

  /** The source talked to its upstream successfully. */
  protected final void contact() {
    connected = true;
    lastContact = Instant.now();
    if (lastError != null) {
      LOG.info("{} reconnected", settings.clientName());
      lastError = null;
    }
  }

  /** The upstream failed; the first failure after a success is logged at WARN, repeats at DEBUG. */
  protected final void error(String message, Exception cause) {
    connected = false;
    String text = cause == null ? message : message + ": " + cause;
    if (lastError == null) {
      LOG.warn("{} {}", settings.clientName(), text);
    } else {
      LOG.debug("{} {}", settings.clientName(), text);
    }
    lastError = text;
  }

  protected final void disconnected() {
    connected = false;
  }

  protected final boolean isConnected() {
    return connected;
  }

  /** Tells the follower loop to stop and wakes it from {@link #pause}. */
  protected final void signalClose() {
    closing.countDown();
  }

  protected final boolean isClosing() {
    return closing.getCount() == 0;
  }

  /** Sleeps {@code time}, or less if the source is closed meanwhile; false once closing. */
  protected final boolean pause(Duration time) {
    try {
      return !closing.await(time.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits for the follower thread to end after {@link #signalClose} and its wake-up call, then
   * closes the store (a RocksDB store frees its native memory; the in-memory one keeps answering).
   */
  protected final void awaitStop(Thread follower) {
    try {
      follower.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    disconnected();
    store.close();
  }

  /** Starts the follower thread (a daemon: a forgotten source does not keep the JVM alive). */
  protected final Thread startThread(Runnable loop) {
    Thread t = new Thread(loop, settings.clientName());
    t.setDaemon(true);
    t.start();
    return t;
  }
}
