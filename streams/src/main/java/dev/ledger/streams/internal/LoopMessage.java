package dev.ledger.streams.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A message of the stage-1 resolve loop, keyed by the {@code tenant/token_id} it is sent to. No
 * message carries more than one token id, so its size does not grow with the chain it travels.
 *
 * <ul>
 *   <li>{@code REQUEST}: {@code origin}, a child of the target, asks for the target's root; it is
 *       answered at once or parked until the target's root is known. {@code hops} is 1.
 *   <li>{@code PROBE}: carries a new parent link of {@code origin} up through pending ancestors
 *       only to detect a cycle (the target is {@code origin}); never answered. The target is {@code
 *       hops} parent links above {@code origin}.
 *   <li>{@code ANSWER}: the target's parent is resolved, its root is {@code rootId} and its depth
 *       {@code hops}, so the target's depth is {@code hops + 1}.
 *   <li>{@code ORPHAN}: an ancestor of the target stayed unknown past the grace (or was refused):
 *       the target audits itself and what waits on it without a chain, and tells its own waiting
 *       children the same. It still resolves if the ancestor turns up.
 *   <li>{@code PARKED}: the target's parent parked its REQUEST (its own root is not known yet), so
 *       the target shows itself {@code pending} on ledger.tokens.
 *   <li>{@code TOO_DEEP}: a probe of the target's found it at least {@code hops} deep, beyond the
 *       max depth, whether its root ever arrives or not: it never resolves, so it is an orphan at
 *       once (and refused with {@code depth_limit} if an answer ever reaches it).
 * </ul>
 *
 * @param kind never null
 * @param origin for REQUEST, PROBE and TOO_DEEP the token the question started from; else null
 * @param rootId for ANSWER, else null
 * @param hops see each kind; never negative
 */
public record LoopMessage(Kind kind, String origin, String rootId, int hops) {

  /** What a loop message asks or tells. Stored by ordinal: append only. */
  public enum Kind {
    REQUEST,
    PROBE,
    ANSWER,
    ORPHAN,
    PARKED,
    TOO_DEEP
  }

  public LoopMessage {
    Objects.requireNonNull(kind, "kind");
    if (hops < 0) {
      throw new IllegalArgumentException("hops must not be negative, was " + hops);
    }
  }

  public static LoopMessage request(String requester) {
    return new LoopMessage(Kind.REQUEST, Objects.requireNonNull(requester, "requester"), null, 1);
  }

  /** A probe from {@code origin} reaching a token {@code hops} parent links above it. */
  public static LoopMessage probe(String origin, int hops) {
    return new LoopMessage(Kind.PROBE, Objects.requireNonNull(origin, "origin"), null, hops);
  }

  /** The answer of a resolved token of depth {@code depth} in the tree of {@code rootId}. */
  public static LoopMessage answer(String rootId, int depth) {
    return new LoopMessage(Kind.ANSWER, null, Objects.requireNonNull(rootId, "rootId"), depth);
  }

  public static LoopMessage orphan() {
    return new LoopMessage(Kind.ORPHAN, null, null, 0);
  }

  public static LoopMessage parked() {
    return new LoopMessage(Kind.PARKED, null, null, 0);
  }

  /** Tells {@code origin} that it is at least {@code depth} deep. */
  public static LoopMessage tooDeep(String origin, int depth) {
    return new LoopMessage(Kind.TOO_DEEP, Objects.requireNonNull(origin, "origin"), null, depth);
  }

  /** The child that asked. */
  public String requester() {
    return origin;
  }

  // Wire format: kind, a list of ids (the origin only, or none), the nullable root, then hops.
  public static final BinarySerde<LoopMessage> SERDE =
      new BinarySerde<>(
          "LoopMessage",
          (m, out) -> {
            out.writeByte(m.kind().ordinal());
            BinarySerde.writeStrings(out, m.origin() == null ? List.of() : List.of(m.origin()));
            BinarySerde.writeNullable(out, m.rootId());
            out.writeInt(m.hops());
          },
          LoopMessage::read);

  private static LoopMessage read(DataInputStream in) throws IOException {
    Kind kind = Kind.values()[in.readByte()];
    List<String> ids = BinarySerde.readStrings(in);
    String rootId = BinarySerde.readNullable(in);
    int hops = in.readInt();
    return new LoopMessage(kind, ids.isEmpty() ? null : ids.getFirst(), rootId, hops);
  }
}
