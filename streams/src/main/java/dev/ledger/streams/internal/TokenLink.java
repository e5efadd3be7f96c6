package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.LedgerEvent;
import java.util.Objects;

/**
 * What stage 1 knows of one token: how far its root is resolved, and, while it is not, the event
 * that defined it. A resolved or refused link keeps no definition: its lookups (the root for a use
 * or a revocation, whether the token exists at all) need none, and the tree processor has the
 * definition from the moment the root is known.
 *
 * @param definition the token.issued/exchanged/attenuated event while {@link State#PENDING}, else
 *     null
 * @param rootId the tree's root once {@link State#RESOLVED}, else null
 * @param state never null
 * @param audited true once stage 1 wrote the definition's audit record because its parent stayed
 *     unknown past the grace (an orphan), so the tree processor must not write another
 * @param depth once {@link State#RESOLVED}, parent links to the root; else 0
 * @param definedBy who submitted the definition ({@link SubmittedEvent}), kept after the definition
 *     is dropped so that a second definition's {@code duplicate_token} DLQ record can name both;
 *     null when it was written to Kafka directly
 * @param definingEventId the {@code event_id} of the definition: a repeat of that event is dropped
 *     by it, so a definition needs no entry in the dedupe store (one record less per token)
 */
public record TokenLink(
    LedgerEvent definition,
    String rootId,
    State state,
    boolean audited,
    int depth,
    String definedBy,
    String definingEventId) {

  /** Resolution state of a token in stage 1. */
  public enum State {
    /** Its parent's root is not known yet. */
    PENDING,
    /** Its root is known; its events go on to the tree processor. */
    RESOLVED,
    /**
     * Refused, never resolves: its parent link would make it its own ancestor, or it is deeper than
     * the max depth.
     */
    CYCLIC
  }

  public TokenLink {
    Objects.requireNonNull(state, "state");
    if (state == State.PENDING) {
      Objects.requireNonNull(definition, "definition");
    }
  }

  /** The parent's id; only a pending link knows it (it asks and probes through it). */
  public String parentId() {
    return definition.getToken().getParentTokenId();
  }

  /** A token just defined, its root not known yet. */
  public static TokenLink pending(LedgerEvent definition) {
    return new TokenLink(
        definition,
        null,
        State.PENDING,
        false,
        0,
        SubmittedEvent.submitterOf(definition),
        definition.getEventId());
  }

  public TokenLink resolved(String root, int depth) {
    return new TokenLink(null, root, State.RESOLVED, audited, depth, definedBy, definingEventId);
  }

  public TokenLink cyclic() {
    return new TokenLink(null, null, State.CYCLIC, audited, depth, definedBy, definingEventId);
  }

  public TokenLink markAudited() {
    return new TokenLink(definition, rootId, state, true, depth, definedBy, definingEventId);
  }

  // The audited flag rides in the top bit of the state byte.
  private static final int AUDITED_BIT = 0x80;

  public static final BinarySerde<TokenLink> SERDE =
      new BinarySerde<>(
          "TokenLink",
          (l, out) -> {
            out.writeByte(l.state().ordinal() | (l.audited() ? AUDITED_BIT : 0));
            BinarySerde.writeNullable(out, l.rootId());
            out.writeInt(l.depth());
            BinarySerde.writeNullable(out, l.definedBy());
            BinarySerde.writeNullable(out, l.definingEventId());
            if (l.state() == State.PENDING) {
              SubmittedEvent.write(out, l.definition());
            }
          },
          in -> {
            int head = in.readUnsignedByte();
            State state = State.values()[head & ~AUDITED_BIT];
            String root = BinarySerde.readNullable(in);
            int depth = in.readInt();
            String definedBy = BinarySerde.readNullable(in);
            String definingEventId = BinarySerde.readNullable(in);
            LedgerEvent definition = state == State.PENDING ? SubmittedEvent.read(in) : null;
            return new TokenLink(
                definition,
                root,
                state,
                (head & AUDITED_BIT) != 0,
                depth,
                definedBy,
                definingEventId);
          });
}
