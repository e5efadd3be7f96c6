/** Helpers of the token adapters: stable hash ids and the Biscuit datalog conventions. */
package dev.ledger.ingest.adapter.internal;
