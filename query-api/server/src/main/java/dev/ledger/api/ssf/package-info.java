/**
 * An OpenID Shared Signals (SSF 1.0) transmitter that sends each cascaded revocation as a signed
 * CAEP SET.
 */
package dev.ledger.api.ssf;
