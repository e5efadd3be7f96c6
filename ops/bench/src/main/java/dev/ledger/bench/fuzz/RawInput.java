package dev.ledger.bench.fuzz;

import java.util.HexFormat;
import java.util.Map;

/**
 * One record written straight to {@code ledger.events} by the fuzz run.
 *
 * @param index its number in the run: with the seed, all it takes to make it again
 * @param kind how it was made, e.g. {@code mutated bytes}
 * @param key the key, or null
 * @param value the value, or null (a tombstone)
 * @param headers record headers (a forged {@code ledger.submitted_by})
 */
record RawInput(long index, String kind, byte[] key, byte[] value, Map<String, byte[]> headers) {

  RawInput {
    headers = Map.copyOf(headers);
  }

  /** Key and value in hex (the value's first 4 KiB), to write it again by hand. */
  String reproducer() {
    HexFormat hex = HexFormat.of();
    String v = value == null ? "null" : hex.formatHex(value, 0, Math.min(value.length, 4096));
    return kind
        + " key="
        + (key == null ? "null" : hex.formatHex(key))
        + " value="
        + v
        + " headers="
        + headers.keySet();
  }
}
