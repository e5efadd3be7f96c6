/**
 * The benchmark suite: {@code ledger bench ...} measures the ledger beside what a user would run
 * instead.
 */
package dev.ledger.bench;
