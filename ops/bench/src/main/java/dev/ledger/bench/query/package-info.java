/**
 * Query latency: one synthetic audit trail loaded into the ledger's index and into PostgreSQL,
 * queried by concurrent clients.
 */
package dev.ledger.bench.query;
