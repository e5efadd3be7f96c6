/**
 * A deterministic synthetic workload of agent delegation activity, for demos, tests and benchmarks.
 */
package dev.ledger.workload;
