package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.LedgerEvent;
import java.util.Objects;

/**
 * A message to the tree processor, keyed by {@code tenant/root_id}: an accepted event from stage 1
 * ({@link Definition}, {@link Use}, {@link Revocation}), or the {@link FollowUp} of a revocation
 * that the tree processor sends itself.
 */
public sealed interface TreeMessage {

  /** The event: the definition, use or revocation; for a follow-up, the {@code token.revoked}. */
  LedgerEvent event();

  /**
   * True when stage 1 already wrote this event's audit record (its chain stayed unknown past the
   * grace), so the tree processor must not write another; always true for a follow-up.
   */
  boolean audited();

  /** A token.issued, token.exchanged or token.attenuated whose root is known. */
  record Definition(LedgerEvent event, boolean audited) implements TreeMessage {
    public Definition {
      Objects.requireNonNull(event, "event");
    }
  }

  /** A token.used whose token's root is known. */
  record Use(LedgerEvent event, boolean audited) implements TreeMessage {
    public Use {
      Objects.requireNonNull(event, "event");
    }
  }

  /** A token.revoked whose token's root is known (or kept for a token that may yet arrive). */
  record Revocation(LedgerEvent event, boolean audited) implements TreeMessage {
    public Revocation {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * The second half of a revocation's cascade: the notices went out in the transaction that handled
   * {@code event}, and this message, readable only once that transaction committed, brings the
   * stored nodes of the subtree in line in the next one.
   *
   * @param event the {@code token.revoked}
   * @param resumeAfter for a follow-up that continues one cut short: the subtree key of the last
   *     token already brought in line; null to start at the top
   */
  record FollowUp(LedgerEvent event, String resumeAfter) implements TreeMessage {
    public FollowUp {
      Objects.requireNonNull(event, "event");
    }

    @Override
    public boolean audited() {
      return true;
    }

    /** The same follow-up, continued after the subtree key {@code subtreeKey}. */
    public FollowUp resumedAfter(String subtreeKey) {
      return new FollowUp(event, subtreeKey);
    }
  }

  /** An event from stage 1, as the message its type makes it. */
  static TreeMessage of(LedgerEvent event, boolean audited) {
    if (RecordValidator.definesToken(event.getType())) {
      return new Definition(event, audited);
    }
    return RecordValidator.USED.equals(event.getType())
        ? new Use(event, audited)
        : new Revocation(event, audited);
  }

  /** The follow-up of {@code revocation}, from the top of its subtree. */
  static FollowUp followUp(LedgerEvent revocation) {
    return new FollowUp(revocation, null);
  }

  // Wire format: a flags byte, the event, then the resume key if its flag is set.
  int AUDITED = 1;
  int FOLLOW_UP = 2;
  int RESUME = 4;

  BinarySerde<TreeMessage> SERDE =
      new BinarySerde<>(
          "TreeMessage",
          (m, out) -> {
            String resumeAfter = m instanceof FollowUp f ? f.resumeAfter() : null;
            out.writeByte(
                (m.audited() ? AUDITED : 0)
                    | (m instanceof FollowUp ? FOLLOW_UP : 0)
                    | (resumeAfter != null ? RESUME : 0));
            SubmittedEvent.write(out, m.event());
            if (resumeAfter != null) {
              out.writeUTF(resumeAfter);
            }
          },
          in -> {
            int flags = in.readUnsignedByte();
            LedgerEvent event = SubmittedEvent.read(in);
            if ((flags & FOLLOW_UP) != 0) {
              return new FollowUp(event, (flags & RESUME) != 0 ? in.readUTF() : null);
            }
            return of(event, (flags & AUDITED) != 0);
          });
}
