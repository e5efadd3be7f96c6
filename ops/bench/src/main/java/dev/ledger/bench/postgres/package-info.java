/**
 * The PostgreSQL baseline: what a good DBA would build instead (derived rows written at ingest,
 * access paths for each question, NOTIFY for revocations), on a real server the bench starts and
 * stops.
 */
package dev.ledger.bench.postgres;
