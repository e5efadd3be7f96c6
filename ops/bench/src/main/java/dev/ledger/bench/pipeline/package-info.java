/** Ingest and pipeline throughput: producers to "visible in the index", beside Kafka's producer ceiling and PostgreSQL inserts. */
package dev.ledger.bench.pipeline;
