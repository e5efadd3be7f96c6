/**
 * Helpers of the token adapters: stable hash ids, the Biscuit datalog conventions and the replay
 * that names why a Biscuit does not verify, macaroon caveats and caveat budgets.
 */
package dev.ledger.ingest.adapter.internal;
