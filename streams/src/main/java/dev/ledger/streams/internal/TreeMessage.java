package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.LedgerEvent;
import java.util.Objects;

/**
 * An event on its way to the tree processor, keyed by {@code tenant/root_id}: from stage 1, or from
 * the tree processor itself as the follow-up of a revocation.
 *
 * @param event the accepted event, never null
 * @param audited true when stage 1 already wrote this event's audit record (a revocation of a token
 *     unknown for longer than the grace), so the tree processor must not write another
 * @param followUp true for the second half of a revocation's cascade ({@code event} is the {@code
 *     token.revoked}): the notices went out in the transaction that handled the event, and this
 *     message, readable only once that transaction committed, brings the stored nodes of the
 *     subtree in line in the next one
 * @param resumeAfter for a follow-up that continues one cut short: the subtree key of the last
 *     token already brought in line; null to start at the top
 */
public record TreeMessage(
    LedgerEvent event, boolean audited, boolean followUp, String resumeAfter) {

  private static final int AUDITED = 1;
  private static final int FOLLOW_UP = 2;
  private static final int RESUME = 4;

  public TreeMessage {
    Objects.requireNonNull(event, "event");
  }

  /** An event from stage 1. */
  public TreeMessage(LedgerEvent event, boolean audited) {
    this(event, audited, false, null);
  }

  /** The follow-up of {@code revocation}, already audited, from the top of its subtree. */
  public static TreeMessage followUp(LedgerEvent revocation) {
    return new TreeMessage(revocation, true, true, null);
  }

  /** The same follow-up, continued after the subtree key {@code resumeAfter}. */
  public TreeMessage resumedAfter(String subtreeKey) {
    return new TreeMessage(event, true, true, subtreeKey);
  }

  public static final BinarySerde<TreeMessage> SERDE =
      new BinarySerde<>(
          "TreeMessage",
          (m, out) -> {
            out.writeByte(
                (m.audited() ? AUDITED : 0)
                    | (m.followUp() ? FOLLOW_UP : 0)
                    | (m.resumeAfter() != null ? RESUME : 0));
            SubmittedEvent.write(out, m.event());
            if (m.resumeAfter() != null) {
              out.writeUTF(m.resumeAfter());
            }
          },
          in -> {
            int flags = in.readUnsignedByte();
            LedgerEvent event = SubmittedEvent.read(in);
            return new TreeMessage(
                event,
                (flags & AUDITED) != 0,
                (flags & FOLLOW_UP) != 0,
                (flags & RESUME) != 0 ? in.readUTF() : null);
          });
}
