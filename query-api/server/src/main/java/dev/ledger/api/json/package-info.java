/** The JSON shapes of CONTRACT.md section 4, rendered from the ledger's Avro records. */
package dev.ledger.api.json;
