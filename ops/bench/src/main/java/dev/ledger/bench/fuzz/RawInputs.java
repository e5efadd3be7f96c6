package dev.ledger.bench.fuzz;

import dev.ledger.bench.kafka.EncodedEvent;
import dev.ledger.schemas.Topics;
import dev.ledger.schemas.avro.LedgerEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Makes the raw records of a fuzz run, as anyone who can write to {@code ledger.events} could:
 * valid events with their bytes mutated (flipped, cut, spliced, huge varints), Avro that decodes
 * but breaks the contract (a field of the decoded event changed), random bytes, empty values,
 * tombstones, keys that do not match the event, forged {@code ledger.submitted_by} headers, and
 * exact copies. Input {@code i} depends only on the seed, the corpus and {@code i}.
 */
final class RawInputs {

  private final long seed;
  private final List<EncodedEvent> events;

  RawInputs(long seed, List<EncodedEvent> events) {
    this.seed = seed;
    this.events = List.copyOf(events);
  }

  RawInput make(long index) {
    SplittableRandom r = new SplittableRandom(seed * 0xBF58476D1CE4E5B9L + index);
    EncodedEvent e = events.get(r.nextInt(events.size()));
    int kind = r.nextInt(16);
    if (kind < 7) {
      return new RawInput(index, "mutated bytes", e.key(), Mutations.bytes(e.value(), r), Map.of());
    }
    if (kind < 10) {
      byte[] value = avroMutation(e.value(), r);
      if (value != null) {
        return new RawInput(index, "mutated field", e.key(), value, Map.of());
      }
    }
    return switch (kind) {
      case 10 ->
          new RawInput(
              index,
              "random bytes",
              Mutations.random(r, r.nextInt(40)),
              Mutations.random(r, r.nextInt(300)),
              Map.of());
      case 11 ->
          new RawInput(
              index,
              "other key",
              r.nextInt(4) == 0 ? null : Mutations.string(r).getBytes(StandardCharsets.UTF_8),
              e.value(),
              Map.of());
      case 12 ->
          new RawInput(
              index,
              "forged header",
              e.key(),
              e.value(),
              Map.of(
                  Topics.EVENTS_HEADER_SUBMITTED_BY,
                  r.nextBoolean()
                      ? Mutations.random(r, r.nextInt(3000))
                      : Mutations.string(r).getBytes(StandardCharsets.UTF_8)));
      case 13 -> new RawInput(index, "tombstone", e.key(), null, Map.of());
      case 14 -> new RawInput(index, "empty value", e.key(), new byte[0], Map.of());
      default -> new RawInput(index, "copy", e.key(), e.value(), Map.of());
    };
  }

  /**
   * The event decoded, one of its fields (at any depth) changed, encoded again; null when that
   * cannot be encoded.
   */
  private static byte[] avroMutation(byte[] value, SplittableRandom r) {
    try {
      LedgerEvent event =
          Topics.EVENTS.valueSerde().deserializer().deserialize(Topics.EVENTS.name(), value);
      mutate(event, r, 0);
      return Topics.EVENTS.valueSerde().serializer().serialize(Topics.EVENTS.name(), event);
    } catch (RuntimeException cannotEncode) {
      return null;
    }
  }

  private static void mutate(SpecificRecordBase record, SplittableRandom r, int depth) {
    List<Schema.Field> fields = record.getSchema().getFields();
    Schema.Field f = fields.get(r.nextInt(fields.size()));
    Object old = record.get(f.pos());
    if (old instanceof SpecificRecordBase nested && depth < 3) {
      mutate(nested, r, depth + 1);
    } else if (old instanceof CharSequence s && !s.isEmpty() && r.nextBoolean()) {
      record.put(f.pos(), Mutations.text(s.toString(), r));
    } else if (old instanceof List<?> list && r.nextBoolean()) {
      @SuppressWarnings("unchecked")
      List<Object> items = (List<Object>) list;
      java.util.ArrayList<Object> more = new java.util.ArrayList<>(items);
      int n = r.nextInt(1, 400);
      for (int i = 0; i < n; i++) {
        more.add(Mutations.string(r));
      }
      record.put(f.pos(), more);
    } else if (old == null || old instanceof CharSequence) {
      record.put(f.pos(), r.nextInt(4) == 0 ? null : Mutations.string(r));
    } else {
      record.put(f.pos(), null);
    }
  }
}
