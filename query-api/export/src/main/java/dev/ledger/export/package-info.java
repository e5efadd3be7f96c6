/** Verifiable compliance exports of a tenant's audit trail, and the offline verifier for them. */
package dev.ledger.export;
