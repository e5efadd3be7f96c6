/**
 * Who may call the API: roles, callers and the stores that verify bearer credentials (CONTRACT.md
 * section 5).
 */
package dev.ledger.api.auth;
