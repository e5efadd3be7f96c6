/** Kafka serdes for the ledger's Avro records in Avro single-object encoding. */
package dev.ledger.schemas.serde;
