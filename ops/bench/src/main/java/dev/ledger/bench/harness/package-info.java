/**
 * What every benchmark shares: closed- and open-loop load with latency histograms, another
 * process's CPU and memory from /proc, the machine and code commit a result came from, result
 * sections and the report writer.
 */
package dev.ledger.bench.harness;
