/** Transports of the client (Kafka, HTTP); not an API. */
package dev.ledger.ingest.client.internal;
