package dev.ledger.streams.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A message of the stage-1 resolve loop, keyed by the {@code tenant/token_id} it is sent to (the
 * target). No message carries more than one token id, so its size does not grow with the chain it
 * travels.
 */
public sealed interface LoopMessage extends ResolverInput {

  /**
   * {@code requester}, a child of the target, asks for the target's root; answered at once or
   * parked until the target's root is known.
   */
  record Request(String requester) implements LoopMessage {
    public Request {
      Objects.requireNonNull(requester, "requester");
    }
  }

  /**
   * Carries a new parent link of {@code origin} up through pending ancestors only to detect a cycle
   * (the target is {@code origin}); never answered. The target is {@code hops} parent links above
   * {@code origin}.
   */
  record Probe(String origin, int hops) implements LoopMessage {
    public Probe {
      Objects.requireNonNull(origin, "origin");
      requireNotNegative(hops);
    }
  }

  /**
   * The target's parent is resolved: its root is {@code rootId} and its depth {@code depth}, so the
   * target's depth is {@code depth + 1}.
   */
  record Answer(String rootId, int depth) implements LoopMessage {
    public Answer {
      Objects.requireNonNull(rootId, "rootId");
      requireNotNegative(depth);
    }
  }

  /**
   * An ancestor of the target stayed unknown past the grace (or was refused): the target audits
   * itself and what waits on it without a chain, and tells its own waiting children the same. It
   * still resolves if the ancestor turns up.
   */
  record Orphan() implements LoopMessage {}

  /**
   * The target's parent parked its {@link Request} (its own root is not known yet), so the target
   * shows itself {@code pending} on ledger.tokens.
   */
  record RequestParked() implements LoopMessage {}

  /**
   * A probe of {@code origin}'s (the target) found it at least {@code depth} deep, beyond the max
   * depth, whether its root ever arrives or not: it never resolves, so it is an orphan at once (and
   * refused with {@code depth_limit} if an answer ever reaches it).
   */
  record TooDeep(String origin, int depth) implements LoopMessage {
    public TooDeep {
      Objects.requireNonNull(origin, "origin");
      requireNotNegative(depth);
    }
  }

  static Request request(String requester) {
    return new Request(requester);
  }

  /** A probe from {@code origin} reaching a token {@code hops} parent links above it. */
  static Probe probe(String origin, int hops) {
    return new Probe(origin, hops);
  }

  /** The answer of a resolved token of depth {@code depth} in the tree of {@code rootId}. */
  static Answer answer(String rootId, int depth) {
    return new Answer(rootId, depth);
  }

  static Orphan orphan() {
    return new Orphan();
  }

  static RequestParked parked() {
    return new RequestParked();
  }

  /** Tells {@code origin} that it is at least {@code depth} deep. */
  static TooDeep tooDeep(String origin, int depth) {
    return new TooDeep(origin, depth);
  }

  private static void requireNotNegative(int hops) {
    if (hops < 0) {
      throw new IllegalArgumentException("hops must not be negative, was " + hops);
    }
  }

  // Wire format: a kind byte (REQUEST 0, PROBE 1, ANSWER 2, ORPHAN 3, PARKED 4, TOO_DEEP 5), a list
  // of ids (the origin or requester only, or none), the nullable root, then hops or depth.
  BinarySerde<LoopMessage> SERDE =
      new BinarySerde<>(
          "LoopMessage",
          (m, out) -> {
            switch (m) {
              case Request r -> Wire.write(out, 0, r.requester(), null, 1);
              case Probe p -> Wire.write(out, 1, p.origin(), null, p.hops());
              case Answer a -> Wire.write(out, 2, null, a.rootId(), a.depth());
              case Orphan o -> Wire.write(out, 3, null, null, 0);
              case RequestParked p -> Wire.write(out, 4, null, null, 0);
              case TooDeep t -> Wire.write(out, 5, t.origin(), null, t.depth());
            }
          },
          Wire::read);

  /** The loop messages' byte layout. */
  final class Wire {
    private Wire() {}

    private static void write(DataOutputStream out, int kind, String id, String rootId, int hops)
        throws IOException {
      out.writeByte(kind);
      BinarySerde.writeStrings(out, id == null ? List.of() : List.of(id));
      BinarySerde.writeNullable(out, rootId);
      out.writeInt(hops);
    }

    private static LoopMessage read(DataInputStream in) throws IOException {
      int kind = in.readByte();
      List<String> ids = BinarySerde.readStrings(in);
      String id = ids.isEmpty() ? null : ids.getFirst();
      String rootId = BinarySerde.readNullable(in);
      int hops = in.readInt();
      return switch (kind) {
        case 0 -> new Request(id);
        case 1 -> new Probe(id, hops);
        case 2 -> new Answer(rootId, hops);
        case 3 -> new Orphan();
        case 4 -> new RequestParked();
        case 5 -> new TooDeep(id, hops);
        default -> throw new IOException("unknown loop message kind " + kind);
      };
    }
  }
}
