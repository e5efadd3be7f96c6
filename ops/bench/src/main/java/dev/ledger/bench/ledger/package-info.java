/** A whole ledger in the benchmark's JVM (embedded broker, streams, indexer, HTTP API) and a client for its API. */
package dev.ledger.bench.ledger;
