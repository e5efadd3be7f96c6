/**
 * TLS: the API server's certificate (a configured one, or a self-signed one for local use) and what
 * the ledger trusts when it calls out over HTTPS.
 */
package dev.ledger.api.tls;
