package dev.ledger.ingest.adapter;

import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import dev.ledger.ingest.client.TokenEventBuilder;
import dev.ledger.schemas.avro.LedgerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The events one reported token turns into, in the order to send them (parents first): a {@code
 * token.exchanged} preceded by the hops of its {@code act} chain the ledger has not seen, or a
 * Biscuit's {@code token.issued} followed by one {@code token.attenuated} per block.
 *
 * <p>The builders stay open: {@link #tenant} and {@link #source} set the envelope of every event,
 * and {@link #builders()} gives each one for anything else. {@link #build()} validates them all.
 * {@link #warnings()} are things the adapter noticed that do not stop the report (a {@code may_act}
 * that does not name the new actor, a Biscuit block whose rights follow no known convention).
 */
public final class TokenEvents {

  private final List<TokenEventBuilder> builders;
  private final List<String> warnings;

  TokenEvents(List<TokenEventBuilder> builders, List<String> warnings) {
    if (builders.isEmpty()) {
      throw new IllegalArgumentException("no events");
    }
    this.builders = List.copyOf(builders);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Events built elsewhere (such as {@link JwtTokenAdapter#issued}), parents first, to validate and
   * send together.
   *
   * @param builders at least one, none null
   */
  public static TokenEvents of(TokenEventBuilder... builders) {
    return new TokenEvents(List.of(builders), List.of());
  }

  /** Every builder, parents first; never empty. */
  public List<TokenEventBuilder> builders() {
    return builders;
  }

  /** The builder of the reported token itself (the last one). */
  public TokenEventBuilder reported() {
    return builders.get(builders.size() - 1);
  }

  /** Readable notes that did not stop the report; empty when there is nothing to say. */
  public List<String> warnings() {
    return warnings;
  }

  /** Sets the tenant of every event (null: {@code default}). */
  public TokenEvents tenant(String tenant) {
    builders.forEach(b -> b.tenant(tenant));
    return this;
  }

  /** Sets the source of every event (null leaves it out). */
  public TokenEvents source(String source) {
    builders.forEach(b -> b.source(source));
    return this;
  }

  /**
   * Every event, validated.
   *
   * @throws InvalidEventException with every problem of every event, each with its position here
   */
  public List<LedgerEvent> build() {
    List<LedgerEvent> events = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < builders.size(); i++) {
      try {
        events.add(builders.get(i).build());
      } catch (InvalidEventException e) {
        int index = i;
        e.problems().forEach(p -> problems.add(new Problem(index, p.field(), p.reason())));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidEventException(problems);
    }
    return events;
  }

  /**
   * The events as an NDJSON body for {@code POST /v1/events}, after {@link #build()} passed.
   *
   * @throws InvalidEventException as {@link #build()}
   */
  public String toNdjson() {
    build();
    StringBuilder body = new StringBuilder();
    for (TokenEventBuilder b : builders) {
      body.append(b.toJson().toString()).append('\n');
    }
    return body.toString();
  }

  @Override
  public String toString() {
    return "TokenEvents" + builders.stream().map(b -> Objects.toString(b.toJson())).toList();
  }
}
