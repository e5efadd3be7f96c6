/**
 * The ledger's Kafka Streams application: {@link dev.ledger.streams.LedgerTopology} builds it,
 * {@link dev.ledger.streams.LedgerStreams} runs it.
 */
package dev.ledger.streams;
