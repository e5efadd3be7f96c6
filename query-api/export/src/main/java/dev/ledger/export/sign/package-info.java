/** The notary's Ed25519 key and the signed checkpoints it issues over each tenant's Merkle log. */
package dev.ledger.export.sign;
