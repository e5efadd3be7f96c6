/** How audit records are written: canonical JSON (the bytes that are hashed), CSV and OCSF. */
package dev.ledger.export.format;
