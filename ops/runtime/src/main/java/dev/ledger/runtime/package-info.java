/**
 * Assembling and running the ledger's roles (embedded broker, streams, indexer, HTTP API) in one
 * process, with the health checks of each.
 */
package dev.ledger.runtime;
