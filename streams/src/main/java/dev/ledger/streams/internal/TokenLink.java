package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.LedgerEvent;
import java.util.Objects;

/**
 * What stage 1 knows of one token: the event that defined it and how far its root is resolved.
 *
 * @param definition the token.issued/exchanged/attenuated event, never null
 * @param rootId the tree's root once {@link State#RESOLVED}, else null
 * @param state never null
 */
public record TokenLink(LedgerEvent definition, String rootId, State state) {

  /** Resolution state of a token in stage 1. */
  public enum State {
    /** Its parent's root is not known yet. */
    PENDING,
    /** Its root is known; its events go on to the tree processor. */
    RESOLVED,
    /** Its parent link would make it its own ancestor: refused, never resolves. */
    CYCLIC
  }

  public TokenLink {
    Objects.requireNonNull(definition, "definition");
    Objects.requireNonNull(state, "state");
  }

  public String parentId() {
    return definition.getToken().getParentTokenId();
  }

  public TokenLink resolved(String root) {
    return new TokenLink(definition, root, State.RESOLVED);
  }

  public TokenLink cyclic() {
    return new TokenLink(definition, null, State.CYCLIC);
  }

  public static final BinarySerde<TokenLink> SERDE = new BinarySerde<>("TokenLink",
      (l, out) -> {
        out.writeByte(l.state().ordinal());
        BinarySerde.writeNullable(out, l.rootId());
        BinarySerde.writeBytes(out, RawEvent.EVENT_SERDE.encode(l.definition()));
      },
      in -> {
        State state = State.values()[in.readByte()];
        String root = BinarySerde.readNullable(in);
        return new TokenLink(RawEvent.EVENT_SERDE.decode(BinarySerde.readBytes(in)), root, state);
      });
}
