/** The keys file format and its atomic, lock-protected rewrites. */
package dev.ledger.api.auth.internal;
