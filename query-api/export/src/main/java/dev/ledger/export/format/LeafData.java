package dev.ledger.export.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.export.merkle.Hashes;

/**
 * The bytes of one leaf of a tenant's Merkle log: the canonical JSON ({@link CanonicalJson}) of
 * {@code {"committed_at": <when the log appended it>, "record": <audit record JSON>}}. Binding the
 * commit time into the leaf lets a verifier trust the period an export claims to cover.
 */
public final class LeafData {

  private LeafData() {}

  /** The leaf bytes for {@code record} committed at {@code committedAt} (both not null). */
  public static byte[] encode(String committedAt, JsonNode record) {
    ObjectNode leaf = JsonNodeFactory.instance.objectNode();
    leaf.put("committed_at", committedAt);
    leaf.set("record", record);
    return CanonicalJson.bytes(leaf);
  }

  /** The RFC 9162 leaf hash of the same. */
  public static byte[] hash(String committedAt, JsonNode record) {
    return Hashes.leaf(encode(committedAt, record));
  }
}
