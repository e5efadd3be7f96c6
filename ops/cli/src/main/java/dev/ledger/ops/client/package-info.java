/**
 * A small client of the ledger's HTTP API for the auditor and producer commands of the command
 * line.
 */
package dev.ledger.ops.client;
