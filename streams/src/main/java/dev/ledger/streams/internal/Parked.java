package dev.ledger.streams.internal;

import dev.ledger.schemas.avro.LedgerEvent;
import java.util.Objects;

/**
 * A use or revocation waiting in stage 1 until its token's root is known.
 *
 * @param event the token.used or token.revoked event, never null
 * @param dueAt wall-clock millis after which a still unknown token is judged (the grace)
 * @param audited true once its audit record was written without a chain, because its token was
 *     still unknown or unresolved when the grace ended
 */
public record Parked(LedgerEvent event, long dueAt, boolean audited) {

  public Parked {
    Objects.requireNonNull(event, "event");
  }

  public Parked markAudited() {
    return new Parked(event, dueAt, true);
  }

  public static final BinarySerde<Parked> SERDE =
      new BinarySerde<>(
          "Parked",
          (p, out) -> {
            out.writeLong(p.dueAt());
            out.writeBoolean(p.audited());
            SubmittedEvent.write(out, p.event());
          },
          in -> {
            long due = in.readLong();
            boolean audited = in.readBoolean();
            return new Parked(SubmittedEvent.read(in), due, audited);
          });
}
