/** The PostgreSQL baseline: what a team would build instead, on a real server the bench starts and stops. */
package dev.ledger.bench.postgres;
