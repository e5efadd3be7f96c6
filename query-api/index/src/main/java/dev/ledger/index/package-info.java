/**
 * The read model of the ledger: a Lucene index of tokens, audit records, alerts and revocations
 * ({@link dev.ledger.index.LedgerIndex}) and the Kafka consumer that fills it ({@link
 * dev.ledger.index.Indexer}).
 */
package dev.ledger.index;
