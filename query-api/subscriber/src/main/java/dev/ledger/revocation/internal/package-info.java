/**
 * Internals of the revocation subscribers: the lookup stores (in memory, RocksDB), the Kafka and
 * SSE followers and their parsers.
 */
package dev.ledger.revocation.internal;
