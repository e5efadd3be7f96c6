/**
 * Assembling and running the ledger's roles (embedded broker, streams, indexer, HTTP API) in one
 * process.
 */
package dev.ledger.ops.run;
