/**
 * Logging of the ledger process: what the embedded broker may say on the console and what it may
 * not.
 */
package dev.ledger.ops.logging;
