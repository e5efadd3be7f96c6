package dev.ledger.api.ssf;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.ledger.api.ssf.internal.Deliveries;
import dev.ledger.api.ssf.internal.SetFactory;
import dev.ledger.api.ssf.internal.SigningKey;
import dev.ledger.api.ssf.internal.StreamConfig;
import dev.ledger.api.ssf.internal.StreamStore;
import dev.ledger.api.tls.ClientTrust;
import dev.ledger.index.LedgerIndex;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.Hop;
import dev.ledger.schemas.avro.TokenNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger as an OpenID Shared Signals (SSF 1.0) transmitter: its signing key, its streams (kept
 * on {@code ledger.ssf.streams}) and their delivery, push or poll, from {@code ledger.revocations}.
 * Hand it to {@link dev.ledger.api.ApiContext} and the API serves discovery, stream management and
 * poll endpoints.
 *
 * <pre>{@code
 * try (SsfTransmitter ssf = SsfTransmitter.start(SsfSettings.builder(dataDir).build(), kafka.config(), index)) {
 *     ... ApiServer.start(settings, new ApiContext(..., ssf)) ...
 *     ssf.startPushing();
 * }
 * }</pre>
 *
 * <p>Several instances may run on one Kafka cluster: each serves every stream (polls included), and
 * one at a time pushes each stream and pauses it for inactivity, as the consumer group {@code
 * ledger.ssf.transmitters} assigns the stream's partition of {@code ledger.ssf.streams}. They must
 * share the signing key file.
 */
public final class SsfTransmitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SsfTransmitter.class);

  /**
   * How often the instance publishes the delivery figures of the streams it pushes: how far behind
   * another instance's status answer may be, and what a pusher that dies loses of its counting.
   */
  private static final Duration PUBLISH_EVERY = Duration.ofSeconds(1);

  private final SsfSettings settings;
  private final RSAKey key;
  private final Deliveries deliveries;
  private final StreamStore store;
  private final ScheduledExecutorService background;

  private SsfTransmitter(
      SsfSettings settings, RSAKey key, Deliveries deliveries, StreamStore store) {
    this.settings = settings;
    this.key = key;
    this.deliveries = deliveries;
    this.store = store;
    this.background =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ledger-ssf-background").factory());
    background.scheduleWithFixedDelay(
        deliveries::publishPushStates,
        PUBLISH_EVERY.toMillis(),
        PUBLISH_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    if (!settings.inactivityTimeout().isZero()) {
      long every =
          Math.clamp(
              settings.inactivityTimeout().toMillis() / 4,
              1_000L,
              Duration.ofMinutes(1).toMillis());
      background.scheduleWithFixedDelay(this::pauseIdle, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Pauses every enabled stream this instance transmits whose receiver has been inactive (at every
   * instance) for the inactivity timeout, and tells it so with a {@code stream-updated} SET (SSF
   * 1.0 section 8.1.5: a transmitter-side change from enabled).
   */
  private void pauseIdle() {
    for (StreamConfig stream : deliveries.activity().idle(store.all())) {
      if (!deliveries.transmits(stream.streamId())) {
        continue; // another instance judges it
      }
      try {
        StreamConfig paused =
            stream.withStatus(
                "paused",
                "inactivity_timeout: no receiver activity for "
                    + settings.inactivityTimeout().toSeconds()
                    + " s");
        store.put(paused);
        deliveries.streamUpdated(paused);
        LOG.info("stream {} paused: {}", stream.streamId(), paused.reason());
      } catch (RuntimeException e) {
        LOG.warn(
            "stream {}: pausing it for inactivity failed: {}", stream.streamId(), e.toString());
      }
    }
  }

  /**
   * Loads or creates the signing key, reads every stream from Kafka and starts their delivery.
   *
   * @param kafka client settings of the ledger's cluster (bootstrap servers, login)
   * @param index where a revoked token's issuer and chain are looked up; null to send what the
   *     notice says
   * @throws UncheckedIOException when the key cannot be read or created, or the push trust file
   *     cannot be read
   */
  public static SsfTransmitter start(
      SsfSettings settings, Map<String, Object> kafka, LedgerIndex index) {
    RSAKey key;
    try {
      key = SigningKey.loadOrCreate(settings.keyDir());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot load or create the SSF signing key in " + settings.keyDir(), e);
    }
    SSLContext pushTls;
    try {
      pushTls = ClientTrust.context(settings.pushTrust());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the SSF push trust: " + e.getMessage(), e);
    }
    Deliveries deliveries =
        new Deliveries(
            kafka,
            settings,
            new SetFactory(key),
            (tenant, tokenId) -> lineage(index, tenant, tokenId),
            pushTls);
    StreamStore store = null;
    try {
      store = StreamStore.start(kafka, Topics.SSF_STREAMS, deliveries, Duration.ofSeconds(60));
      deliveries.attach(store);
      deliveries.startOwnership(Topics.SSF_STREAMS.name(), settings.sessionTimeout());
      return new SsfTransmitter(settings, key, deliveries, store);
    } catch (RuntimeException e) {
      deliveries.close();
      if (store != null) {
        store.close();
      }
      throw e;
    }
  }

  private static Optional<SetFactory.Lineage> lineage(
      LedgerIndex index, String tenant, String tokenId) {
    if (index == null) {
      return Optional.empty();
    }
    Optional<TokenNode> node = index.token(tenant, tokenId);
    // A pending version (its chain not yet resolved: no root) names no issuer either; treat it as
    // not yet known, so
    // a fresh notice waits for the resolved version as it waits for an unindexed token.
    if (node.isEmpty() || node.get().getRootId() == null) {
      return Optional.empty();
    }
    List<String> chain = node.get().getChain().stream().map(Hop::getTokenId).toList();
    String issuer = node.get().getIssuer();
    // A token made offline (attenuated) has no issuer of its own: the one of its chain's root is
    // its effective one.
    if (issuer == null && node.get().getRootId() != null) {
      issuer = index.token(tenant, node.get().getRootId()).map(TokenNode::getIssuer).orElse(null);
    }
    return Optional.of(new SetFactory.Lineage(issuer, chain));
  }

  /**
   * Starts the push streams' delivery. Call it once the API listens: SETs carry the issuer, which
   * may be the server's own address. Poll streams need no call.
   */
  public void startPushing() {
    deliveries.startPushing();
  }

  public SsfSettings settings() {
    return settings;
  }

  /**
   * @return the public keys that verify the SETs, served at {@code jwks_uri}
   */
  public JWKSet publicKeys() {
    return SigningKey.publicSet(key);
  }

  /** The streams (for the routes). */
  public StreamStore store() {
    return store;
  }

  /** Their delivery (for the routes). */
  public Deliveries deliveries() {
    return deliveries;
  }

  @Override
  public void close() {
    background.shutdownNow();
    // Pushes in flight finish, then the instance leaves the ownership group: another instance takes
    // its streams over at once, and sends none of what this one delivered.
    deliveries.close();
    store.close();
  }
}
