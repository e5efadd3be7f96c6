/** Readiness of the parts a server runs, reported by {@code GET /health}. */
package dev.ledger.api.health;
