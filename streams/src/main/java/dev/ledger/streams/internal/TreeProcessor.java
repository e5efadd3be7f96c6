package dev.ledger.streams.internal;

import dev.ledger.schemas.LedgerKey;
import dev.ledger.schemas.avro.LedgerEvent;
import dev.ledger.schemas.avro.TokenNode;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Stage 2, keyed by {@code tenant/root_id}: one partition holds a whole tree, so chains, effective
 * rights, budgets and the revocation cascade are local walks over its stores, whatever the depth,
 * and no hop goes back through Kafka.
 *
 * <p>Judgement is by event time (CONTRACT.md section 2), so every arrival order ends in the same
 * state; a verdict that a late event changes is an amendment of the audit record (a record on
 * ledger.audit with {@code amends} set, after the original in the same partition), never a second
 * original. The work is done by collaborators named after the semantics:
 *
 * <ul>
 *   <li>{@link Attachment}: a token joins its parent's tree; a child, use or revocation of a token
 *       not attached yet waits for it;
 *   <li>{@link Uses} and its {@link Budgets}: the verdict on each use (revocation, expiry,
 *       audience, holder, {@code max_uses}) and the {@code uses} counts, flushed every {@code
 *       usesFlushInterval};
 *   <li>{@link Cascade}: a revocation reaches the subtree of the token it names, notices first;
 *   <li>{@link Expiry}: tokens that just expired are re-emitted, their notices tombstoned.
 * </ul>
 *
 * <p>This class wires them to the stores and dispatches each {@link TreeMessage} to the one it
 * concerns.
 */
public final class TreeProcessor implements Processor<String, TreeMessage, Object, Object> {

  /** The processor's node name. */
  public static final String NAME = "tree";

  private static final Duration EXPIRY_INTERVAL = Duration.ofSeconds(1);

  private final int depthLimit;
  private final Duration usesFlushInterval;

  private TreeNodes nodes;
  private Revocations revocations;
  private Uses uses;
  private Cascade cascade;
  private Expiry expiry;
  private Attachment attachment;

  /**
   * @param depthLimit tokens deeper than this are flagged {@code depth_limit}
   * @param usesFlushInterval how often the {@code uses} counts of used tokens and their ancestors
   *     are written and emitted (wall clock)
   */
  public TreeProcessor(int depthLimit, Duration usesFlushInterval) {
    this.depthLimit = depthLimit;
    this.usesFlushInterval = usesFlushInterval;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    Outputs out = new Outputs(context, NAME);
    nodes = new TreeNodes(context.getStateStore(LedgerStores.NODES), out);
    revocations = new Revocations(context.getStateStore(LedgerStores.REVOCATIONS));
    uses =
        new Uses(
            context.getStateStore(LedgerStores.USES),
            context.getStateStore(LedgerStores.PENDING_USES),
            context.getStateStore(LedgerStores.BUDGETS),
            context.getStateStore(LedgerStores.DEFINITIONS),
            nodes,
            revocations,
            out);
    expiry = new Expiry(context.getStateStore(LedgerStores.EXPIRY), nodes, out);
    cascade =
        new Cascade(
            context.getStateStore(LedgerStores.SUBTREES), revocations, nodes, uses, expiry, out);
    attachment =
        new Attachment(
            context.getStateStore(LedgerStores.DEFINITIONS),
            context.getStateStore(LedgerStores.CHILDREN),
            context.getStateStore(LedgerStores.SUBTREES),
            context.getStateStore(LedgerStores.WAITING),
            nodes,
            revocations,
            uses,
            cascade,
            expiry,
            out,
            depthLimit);
    context.schedule(
        EXPIRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> expiry.sweep(now, cascade));
    context.schedule(usesFlushInterval, PunctuationType.WALL_CLOCK_TIME, now -> uses.flush());
    uses.recount();
  }

  @Override
  public void process(Record<String, TreeMessage> record) {
    TreeMessage message = record.value();
    LedgerEvent event = message.event();
    String key = LedgerKey.of(event.getTenant(), RecordValidator.tokenId(event)).toString();
    switch (message) {
      case TreeMessage.FollowUp followUp -> cascade.followUp(record.key(), key, followUp);
      case TreeMessage.Definition definition -> attachment.define(key, definition);
      case TreeMessage.Use use -> {
        // A repeat is dropped here: stage 1 leaves allowed uses of resolved tokens to these
        // stores. A token not attached has no stored use, an attached one nothing waiting.
        TokenNode node = nodes.get(key);
        if (node == null) {
          if (!attachment.waits(key, event.getEventId())) {
            attachment.park(key, use);
          }
        } else if (!uses.stored(key, event.getEventId())) {
          uses.judge(key, node, event, use.audited(), cascade.catchUp(key, node));
        }
      }
      case TreeMessage.Revocation revocation -> {
        TokenNode node = nodes.get(key);
        if (node == null) {
          revocations.record(key, event); // a token born revoked if it ever arrives
          attachment.park(key, revocation);
        } else {
          cascade.revoke(record.key(), key, node, revocation);
        }
      }
    }
  }

  Attachment attachment() {
    return attachment;
  }

  Uses uses() {
    return uses;
  }

  Cascade cascade() {
    return cascade;
  }

  Expiry expiry() {
    return expiry;
  }

  TreeNodes nodes() {
    return nodes;
  }
}
