/**
 * The ledger's wire vocabulary: record keys, what an id may contain, how large any part of an event
 * may be, owner-only files for keys and data, the topic catalogue, and the generated Avro records
 * in {@code dev.ledger.schemas.avro}.
 */
package dev.ledger.schemas;
