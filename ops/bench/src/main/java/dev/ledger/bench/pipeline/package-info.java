/**
 * Ingest and pipeline throughput: producers to "visible in the index" and HTTP ingest, beside
 * Kafka's producer ceiling and PostgreSQL ingest, with the ledger process's CPU, memory and bytes
 * written per event.
 */
package dev.ledger.bench.pipeline;
