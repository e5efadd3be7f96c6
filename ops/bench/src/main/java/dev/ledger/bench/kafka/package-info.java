/**
 * Kafka side of the benchmarks: the shared producer settings, encoded workload records, and Kafka's
 * own producer ceiling.
 */
package dev.ledger.bench.kafka;
