/** Internals of the revocation subscribers: the lookup store, the Kafka and SSE followers and their parsers. */
package dev.ledger.revocation.internal;
