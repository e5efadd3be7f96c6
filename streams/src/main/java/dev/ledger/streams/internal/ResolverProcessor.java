package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.ViolationKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 1, keyed by {@code tenant/token_id}: validates and dedupes events and learns each token's
 * tree root, so that stage 2 can work keyed by root.
 *
 * <p>A token.issued is its own root. A child asks its parent for the root with a
 * {@link LoopMessage} on the resolve topic; the parent answers at once or parks the question until
 * its own root is known, so a leaf-first chain resolves one step per missing ancestor, never by
 * polling. Uses and revocations of a token wait here until its root is known; a use of a token
 * never seen becomes {@code unknown_token} after the grace, a revocation of one is audited after
 * the grace but kept forever, so the token is born revoked if it ever arrives. A parent link that
 * would close a cycle is found by a probe that follows pending parent links and comes back to its
 * origin; the token that finds itself is refused with a {@code cycle} alert and never resolves.
 */
public final class ResolverProcessor implements Processor<String, Object, Object, Object> {

  /** The processor's node name. */
  public static final String NAME = "resolver";

  private static final Logger LOG = LoggerFactory.getLogger(ResolverProcessor.class);
  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

  private final Duration grace;
  private Outputs out;
  private KeyValueStore<String, Long> dedupe;
  private KeyValueStore<String, TokenLink> links;
  private KeyValueStore<String, String> waiters;
  private KeyValueStore<String, Parked> parked;
  private KeyValueStore<String, String> due;

  /** @param grace how long a use or revocation of a never-seen token waits before it is judged */
  public ResolverProcessor(Duration grace) {
    this.grace = grace;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    out = new Outputs(context, NAME);
    dedupe = context.getStateStore(LedgerStores.DEDUPE);
    links = context.getStateStore(LedgerStores.LINKS);
    waiters = context.getStateStore(LedgerStores.WAITERS);
    parked = context.getStateStore(LedgerStores.PARKED);
    due = context.getStateStore(LedgerStores.DUE);
    context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, Object> record) {
    switch (record.value()) {
      case RawEvent raw -> onEvent(record.key(), raw);
      case LoopMessage message -> onLoop(record.key(), message);
      case null -> out.dlq(bytes(record.key()), null, "missing_value", "a ledger.events record needs a LedgerEvent value");
      default -> throw new IllegalStateException("unexpected value " + record.value().getClass());
    }
  }

  private void onEvent(String key, RawEvent raw) {
    LedgerEvent event = raw.event();
    List<Problem> problems = EventValidator.validate(key, event);
    if (!problems.isEmpty()) {
      LOG.debug("rejected event {}: {}", event.getEventId(), Problem.describe(problems));
      out.dlq(bytes(key), raw.bytes(), Problem.codes(problems), Problem.describe(problems));
      return;
    }
    String dedupeKey = LedgerStores.compose(event.getTenant(), event.getEventId());
    if (dedupe.get(dedupeKey) != null) {
      return;
    }
    if (EventValidator.definesToken(event.getType())) {
      if (links.get(key) != null) {
        out.dlq(bytes(key), raw.bytes(), Dlq.DUPLICATE_TOKEN, "token " + key + " is already defined by another event");
        return;
      }
      dedupe.put(dedupeKey, out.now());
      onDefinition(key, event);
    } else {
      dedupe.put(dedupeKey, out.now());
      onUseOrRevocation(key, event);
    }
  }

  private void onDefinition(String key, LedgerEvent event) {
    LedgerKey self = LedgerKey.parse(key);
    String parent = event.getToken().getParentTokenId();
    TokenLink link = new TokenLink(event, null, TokenLink.State.PENDING);
    if (parent == null) {
      resolve(key, link, self.tokenId());
      return;
    }
    links.put(key, link);
    out.token(key, Derivation.pending(event, List.of()));
    if (parent.equals(self.tokenId())) {
      refuseCycle(key, link);
    } else {
      out.resolve(LedgerKey.of(self.tenant(), parent).toString(), LoopMessage.request(self.tokenId()));
    }
  }

  private void onUseOrRevocation(String key, LedgerEvent event) {
    TokenLink link = links.get(key);
    if (link != null && link.state() == TokenLink.State.RESOLVED) {
      out.tree(treeKey(key, link.rootId()), new TreeMessage(event, false));
      return;
    }
    long dueAt = out.now() + grace.toMillis();
    String parkedKey = LedgerStores.compose(key, event.getEventId());
    parked.put(parkedKey, new Parked(event, dueAt, false));
    if (link == null) {
      due.put(LedgerStores.compose(LedgerStores.timeKey(dueAt), parkedKey), "");
    }
  }

  private void onLoop(String key, LoopMessage message) {
    TokenLink link = links.get(key);
    switch (message.kind()) {
      case REQUEST -> {
        String tenant = LedgerKey.parse(key).tenant();
        if (link != null && link.state() == TokenLink.State.RESOLVED) {
          out.resolve(LedgerKey.of(tenant, message.requester()).toString(), LoopMessage.answer(link.rootId()));
          return;
        }
        waiters.put(LedgerStores.compose(key, message.requester()), "");
        if (link != null && link.state() == TokenLink.State.PENDING) {
          probe(key, link, message.path());
        }
      }
      case PROBE -> {
        if (link != null && link.state() == TokenLink.State.PENDING) {
          probe(key, link, message.path());
        }
      }
      case ANSWER -> {
        if (link != null && link.state() == TokenLink.State.PENDING) {
          resolve(key, link, message.rootId());
        }
      }
    }
  }

  /** Carries a new link up through this pending token; finding itself on the path means a cycle. */
  private void probe(String key, TokenLink link, List<String> path) {
    LedgerKey self = LedgerKey.parse(key);
    if (path.contains(self.tokenId())) {
      refuseCycle(key, link);
      return;
    }
    List<String> longer = new ArrayList<>(path);
    longer.add(self.tokenId());
    out.resolve(LedgerKey.of(self.tenant(), link.parentId()).toString(), LoopMessage.probe(longer));
  }

  private void refuseCycle(String key, TokenLink link) {
    links.put(key, link.cyclic());
    LedgerEvent definition = link.definition();
    LOG.info("refused cycle at {} (event {})", key, definition.getEventId());
    long now = out.now();
    out.token(key, Derivation.pending(definition, List.of(ViolationKind.cycle)));
    out.audit(key, LedgerRecords.audit(definition, null, Set.of(ViolationKind.cycle), now));
    out.alert(key, LedgerRecords.alert(definition, LedgerKey.parse(key).tokenId(), ViolationKind.cycle, null, now));
  }

  /** The root of {@code key} is known: hand the token and everything waiting on it to stage 2. */
  private void resolve(String key, TokenLink link, String rootId) {
    links.put(key, link.resolved(rootId));
    String treeKey = treeKey(key, rootId);
    out.tree(treeKey, new TreeMessage(link.definition(), false));
    String tenant = LedgerKey.parse(key).tenant();
    for (KeyValue<String, String> waiter : LedgerStores.drain(waiters, key)) {
      out.resolve(LedgerKey.of(tenant, LedgerStores.after(waiter.key)).toString(), LoopMessage.answer(rootId));
    }
    for (KeyValue<String, Parked> entry : LedgerStores.drain(parked, key)) {
      out.tree(treeKey, new TreeMessage(entry.value.event(), entry.value.audited()));
    }
  }

  /** Judges uses and revocations of tokens still never seen once their grace is over. */
  private void sweep(long now) {
    List<String> dueKeys = new ArrayList<>();
    try (KeyValueIterator<String, String> it = due.range(LedgerStores.timeKey(0), LedgerStores.timeKey(now))) {
      it.forEachRemaining(kv -> dueKeys.add(kv.key));
    }
    for (String dueKey : dueKeys) {
      due.delete(dueKey);
      String parkedKey = LedgerStores.after(dueKey);
      String tokenKey = LedgerStores.before(parkedKey);
      Parked entry = parked.get(parkedKey);
      if (entry == null || links.get(tokenKey) != null) {
        continue;
      }
      LedgerEvent event = entry.event();
      if (EventValidator.USED.equals(event.getType())) {
        parked.delete(parkedKey);
        out.audit(tokenKey, LedgerRecords.audit(event, null, Set.of(ViolationKind.unknown_token), now));
        out.alert(tokenKey, LedgerRecords.alert(event, LedgerKey.parse(tokenKey).tokenId(), ViolationKind.unknown_token,
            null, now));
      } else if (!entry.audited()) {
        // The revocation stays parked forever: the token is born revoked if it ever arrives.
        parked.put(parkedKey, entry.markAudited());
        out.audit(tokenKey, LedgerRecords.audit(event, null, Set.of(), now));
      }
    }
  }

  private static String treeKey(String tokenKey, String rootId) {
    return LedgerKey.of(LedgerKey.parse(tokenKey).tenant(), rootId).toString();
  }

  private static byte[] bytes(String key) {
    return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
  }
}
