/**
 * Ingest: contract JSON events in, validated as a whole batch, written to {@code ledger.events} all
 * or nothing.
 */
package dev.ledger.ingest;
