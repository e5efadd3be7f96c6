/** JMH micro-benchmarks of the ledger's hot code: validation, JSON mapping, Avro serdes. */
package dev.ledger.bench.micro;
