/** What every benchmark shares: latency histograms, the machine description, result sections and the report writer. */
package dev.ledger.bench.harness;
