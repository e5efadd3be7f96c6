package dev.ledger.export.merkle;

/**
 * Random access to the hashes of the perfect, aligned subtrees of one Merkle tree: the subtree at
 * {@code level} and {@code index} covers leaves {@code [index << level, (index + 1) << level)}.
 * Level 0 holds the leaf hashes. Every other subtree hash, proof and root is computed from these by
 * {@link MerkleProofs}.
 */
@FunctionalInterface
public interface SubtreeHashes {

  /** The hash of the perfect subtree at {@code level}, {@code index}; never null. */
  byte[] perfect(int level, long index);
}
