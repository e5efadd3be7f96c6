/**
 * The ledger under test, in a JVM of its own as {@code ledger up} runs it (so its CPU and memory
 * are measured alone) or in the benchmark's JVM, and a client for its API.
 */
package dev.ledger.bench.ledger;
