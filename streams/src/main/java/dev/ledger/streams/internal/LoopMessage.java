package dev.ledger.streams.internal;

import java.util.List;
import java.util.Objects;

/**
 * A message of the stage-1 resolve loop, keyed by the {@code tenant/token_id} it is sent to.
 *
 * <ul>
 *   <li>{@code REQUEST}: {@code requester}, a child of the target, asks for the target's root; it is
 *       answered at once or parked until the target's root is known. {@code path} holds the tokens
 *       the question has passed, the requester first.</li>
 *   <li>{@code PROBE}: carries a new parent link up through pending ancestors only to detect a
 *       cycle (the target finds itself in {@code path}); never answered.</li>
 *   <li>{@code ANSWER}: the target's parent is resolved and its root is {@code rootId}.</li>
 *   <li>{@code ORPHAN}: an ancestor of the target stayed unknown past the grace (or was refused as
 *       a cycle): the target audits itself and what waits on it without a chain, and tells its own
 *       waiting children the same. It still resolves if the ancestor turns up.</li>
 * </ul>
 *
 * @param kind never null
 * @param path for REQUEST and PROBE, never null (empty for ANSWER)
 * @param rootId for ANSWER, else null
 */
public record LoopMessage(Kind kind, List<String> path, String rootId) {

  /** What a loop message asks or tells. */
  public enum Kind { REQUEST, PROBE, ANSWER, ORPHAN, PARKED }

  public LoopMessage {
    Objects.requireNonNull(kind, "kind");
    path = List.copyOf(path);
  }

  public static LoopMessage request(String requester) {
    return new LoopMessage(Kind.REQUEST, List.of(requester), null);
  }

  public static LoopMessage probe(List<String> path) {
    return new LoopMessage(Kind.PROBE, path, null);
  }

  public static LoopMessage answer(String rootId) {
    return new LoopMessage(Kind.ANSWER, List.of(), Objects.requireNonNull(rootId, "rootId"));
  }

  public static LoopMessage orphan() {
    return new LoopMessage(Kind.ORPHAN, List.of(), null);
  }

  public static LoopMessage parked() {
    return new LoopMessage(Kind.PARKED, List.of(), null);
  }

  /** The child that asked (first of the path). */
  public String requester() {
    return path.getFirst();
  }

  public static final BinarySerde<LoopMessage> SERDE = new BinarySerde<>("LoopMessage",
      (m, out) -> {
        out.writeByte(m.kind().ordinal());
        BinarySerde.writeStrings(out, m.path());
        BinarySerde.writeNullable(out, m.rootId());
      },
      in -> new LoopMessage(Kind.values()[in.readByte()], BinarySerde.readStrings(in), BinarySerde.readNullable(in)));
}
