package dev.ledger.streams.internal;

import dev.ledger.schemas.EventIdentity;
import dev.ledger.schemas.LedgerLimits;
import dev.ledger.schemas.avro.LedgerEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 1, keyed by {@code tenant/token_id}: validates and dedupes events and learns each token's
 * tree root, so that stage 2 can work keyed by root.
 *
 * <p>Roots are learnt over the resolve loop ({@code <app>-resolve}, {@link LoopMessage}), whose
 * protocol has one collaborator per side: {@link Resolution} (REQUEST, ANSWER, PARKED: a child asks
 * its parent for the root, and what waits on a token goes on to stage 2 once it is known), {@link
 * Probes} (PROBE, TOO_DEEP: a parent link that would close a cycle, or a chain deeper than {@code
 * maxDepth}, is refused) and {@link Orphans} (ORPHAN and the sweep after the grace: every event
 * gets its audit record within the grace even when its chain never completes). {@link Dedupe} drops
 * a repeated use or revocation. This class wires them to the stores, validates each event, and
 * dispatches each input to the one it concerns.
 */
public final class ResolverProcessor implements Processor<String, ResolverInput, Object, Object> {

  /** The processor's node name. */
  public static final String NAME = "resolver";

  private static final Logger LOG = LoggerFactory.getLogger(ResolverProcessor.class);
  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

  private final Duration grace;
  private final Duration dedupeRetention;
  private final InjectedCrash crash;
  private final int maxDepth;
  private final LedgerLimits limits;
  private final ResolvedRoots roots;
  private Outputs out;
  private KeyValueStore<String, TokenLink> links;
  private Dedupe dedupe;
  private Orphans orphans;
  private Probes probes;
  private Resolution resolution;

  /**
   * @param grace how long a use or revocation of a never-seen token, or a token whose parent is
   *     unknown, waits before it is judged and audited without a chain
   * @param dedupeRetention how long an event id is remembered to drop duplicates; zero: forever
   * @param maxDepth tokens deeper than this are refused ({@code depth_limit}) and never resolve
   * @param limits how large any part of an event may be
   *     <p>Keeps no {@link ResolvedRoots}: every child asks its parent over the loop.
   */
  public ResolverProcessor(
      Duration grace, Duration dedupeRetention, int maxDepth, LedgerLimits limits) {
    this(grace, dedupeRetention, maxDepth, limits, InjectedCrash.NONE, new ResolvedRoots(0));
  }

  /**
   * As {@link #ResolverProcessor(Duration, Duration, int, LedgerLimits)}, resolving the children of
   * the tokens in {@code roots} without the loop (share one {@link ResolvedRoots} between the
   * processors of one topology), and crashing the stream thread where {@code crash} says
   * (test-only).
   */
  public ResolverProcessor(
      Duration grace,
      Duration dedupeRetention,
      int maxDepth,
      LedgerLimits limits,
      InjectedCrash crash,
      ResolvedRoots roots) {
    this.grace = grace;
    this.dedupeRetention = dedupeRetention;
    this.maxDepth = maxDepth;
    this.limits = limits;
    this.crash = crash;
    this.roots = roots;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    out = new Outputs(context, NAME);
    links = context.getStateStore(LedgerStores.LINKS);
    Drainable<String> waiters = new Drainable<>(context.getStateStore(LedgerStores.WAITERS));
    Drainable<Parked> parked = new Drainable<>(context.getStateStore(LedgerStores.PARKED));
    dedupe =
        new Dedupe(
            context.getStateStore(LedgerStores.DEDUPE),
            context.getStateStore(LedgerStores.DEDUPE_EXPIRY),
            dedupeRetention,
            out);
    orphans =
        new Orphans(
            links,
            waiters.store(),
            parked.store(),
            context.getStateStore(LedgerStores.DUE),
            grace,
            out);
    probes = new Probes(links, orphans, out, maxDepth);
    resolution = new Resolution(links, waiters, parked, probes, orphans, roots, out);
    context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, ResolverInput> record) {
    switch (record.value()) {
      case RawEvent raw ->
          onEvent(
              record.key(), raw, record.timestamp(), SubmittedEvent.fromHeaders(record.headers()));
      case LoopMessage message -> onLoop(record.key(), message);
      case null ->
          out.dlq(
              bytes(record.key()),
              null,
              "missing_value",
              "a ledger.events record needs a LedgerEvent value");
    }
  }

  /**
   * @param timestamp the ledger.events record's timestamp: the record time of an event without one
   * @param submittedBy the {@code ledger.submitted_by} header: carried with the event to its audit
   *     record
   */
  private void onEvent(String key, RawEvent raw, long timestamp, String submittedBy) {
    crash.onEvent();
    LedgerEvent event =
        SubmittedEvent.of(RecordTime.stamp(raw.event(), timestamp, out.now()), submittedBy);
    List<RecordProblem> problems = RecordValidator.validate(key, event, limits);
    if (!problems.isEmpty()) {
      LOG.debug("rejected event {}: {}", event.getEventId(), RecordProblem.describe(problems));
      out.dlq(
          bytes(key),
          raw.bytes(),
          RecordProblem.codes(problems),
          RecordProblem.describe(problems),
          submittedBy);
      return;
    }
    // The event's identity (tenant, token, event id): the same event id on another token is
    // another event, and it is judged here, on its own token's key, whatever else this task holds.
    String dedupeKey = EventIdentity.of(key, event.getEventId()).key();
    if (dedupe.seen(dedupeKey)) {
      return;
    }
    // A repeated definition lands on its token's key, whose link keeps the defining event id: it
    // is dropped there, so a definition costs no dedupe entry (and no expiry entry).
    TokenLink existing = links.get(key);
    boolean repeatsDefinition =
        existing != null && event.getEventId().equals(existing.definingEventId());
    if (repeatsDefinition) {
      return;
    }
    if (RecordValidator.definesToken(event.getType())) {
      if (existing != null) {
        out.dlq(
            bytes(key),
            raw.bytes(),
            Dlq.DUPLICATE_TOKEN,
            "token "
                + key
                + " is already defined by another event"
                + " (submitted by "
                + Dlq.submitter(existing.definedBy())
                + "); this one was submitted by "
                + Dlq.submitter(submittedBy),
            submittedBy);
        return;
      }
      resolution.define(key, event);
    } else {
      TokenLink link = resolution.catchUp(key, existing);
      if (!Dedupe.leftToTree(event, link)) {
        dedupe.remember(dedupeKey);
      }
      resolution.route(key, event, link);
    }
  }

  private void onLoop(String key, LoopMessage message) {
    TokenLink link = resolution.catchUp(key, links.get(key));
    boolean pending = link != null && link.state() == TokenLink.State.PENDING;
    switch (message) {
      case LoopMessage.Request request -> resolution.request(key, link, request.requester());
      case LoopMessage.Probe probe -> {
        if (pending) {
          probes.probe(key, link, probe.origin(), probe.hops());
        }
      }
      case LoopMessage.Answer answer -> {
        if (pending) {
          resolution.answer(key, link, answer);
        }
      }
      case LoopMessage.RequestParked parked -> {
        if (pending) {
          resolution.requestParked(key, link);
        }
      }
      case LoopMessage.Orphan orphan -> {
        if (pending) {
          orphans.orphaned(key, link);
        }
      }
      case LoopMessage.TooDeep tooDeep -> {
        // Certain never to resolve, but which token sits exactly past the bound is known only once
        // the root is: an orphan now (so a cycle too long to probe is audited too), refused with
        // depth_limit if an answer ever comes.
        if (pending) {
          orphans.orphaned(key, link);
        }
      }
    }
  }

  /** The wall-clock sweep: what waited past the grace, then event ids past their retention. */
  private void sweep(long now) {
    orphans.sweep(now);
    dedupe.forget(now);
  }

  Resolution resolution() {
    return resolution;
  }

  Probes probes() {
    return probes;
  }

  Orphans orphans() {
    return orphans;
  }

  Dedupe dedupe() {
    return dedupe;
  }

  private static byte[] bytes(String key) {
    return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
  }
}
