/**
 * The picocli commands of {@code ledger}; each one is a thin shell over the run and config
 * packages.
 */
package dev.ledger.ops.cli;
