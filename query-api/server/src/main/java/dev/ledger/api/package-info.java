/**
 * The ledger's HTTP API (CONTRACT.md sections 4 and 5): start it with {@link
 * dev.ledger.api.ApiServer#start}.
 */
package dev.ledger.api;
