/** The export and verify commands as plain functions, for the launcher's picocli wrappers. */
package dev.ledger.export.command;
