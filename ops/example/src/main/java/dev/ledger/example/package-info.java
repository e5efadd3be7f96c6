/**
 * An example resource server that checks tokens against the ledger's revocations and reports each
 * use back.
 */
package dev.ledger.example;
