/** The {@code ledger} command line: the entry point that runs every role of the ledger. */
package dev.ledger.ops;
