/**
 * The fuzz run ({@code ledger bench fuzz}): seeded, reproducible hostile inputs over {@code POST
 * /v1/events}, every GET route of the OpenAPI description and raw records on {@code ledger.events},
 * and the checks that none of them gives a 5xx, leaves a record unaccounted for or stops a
 * partition.
 */
package dev.ledger.bench.fuzz;
