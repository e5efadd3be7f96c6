/** The API server's TLS certificate: a configured one, or a self-signed one for local use. */
package dev.ledger.api.tls;
