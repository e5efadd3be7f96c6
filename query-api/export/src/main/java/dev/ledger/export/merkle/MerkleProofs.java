package dev.ledger.export.merkle;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Roots, inclusion proofs and consistency proofs of RFC 9162 section 2.1, computed from the stored
 * perfect subtrees of a tree ({@link SubtreeHashes}) and verified from hashes alone.
 *
 * <p>Every range hash needed is either a stored perfect subtree or one of the O(log n) subtrees
 * that end at the tree size, so each proof costs O(log^2 n) reads at most and no leaf is read
 * twice. Generation methods take the tree size explicitly and read nothing at or beyond it.
 */
public final class MerkleProofs {

  private MerkleProofs() {}

  /** MTH(D[0:n]); the empty hash for {@code n == 0}. */
  public static byte[] root(SubtreeHashes tree, long n) {
    return n == 0 ? Hashes.empty() : hash(tree, 0, n);
  }

  /**
   * MTH(D[lo:hi]) for a range that occurs in an RFC 9162 tree: {@code lo} is a multiple of the
   * largest power of two below {@code hi - lo} (every subtree of a tree of any size is).
   */
  public static byte[] hash(SubtreeHashes tree, long lo, long hi) {
    long width = hi - lo;
    if (width <= 0) {
      throw new IllegalArgumentException("empty range [" + lo + ", " + hi + ")");
    }
    if (Long.bitCount(width) == 1) {
      int level = Long.numberOfTrailingZeros(width);
      if ((lo & (width - 1)) != 0) {
        throw new IllegalArgumentException("unaligned subtree [" + lo + ", " + hi + ")");
      }
      return tree.perfect(level, lo >>> level);
    }
    long k = split(width);
    return Hashes.node(hash(tree, lo, lo + k), hash(tree, lo + k, hi));
  }

  /** The audit path PATH(m, D[0:n]) of RFC 9162 section 2.1.3.1, leaf side first. */
  public static List<byte[]> inclusion(SubtreeHashes tree, long m, long n) {
    if (m < 0 || m >= n) {
      throw new IllegalArgumentException("leaf " + m + " is not in a tree of size " + n);
    }
    List<byte[]> path = new ArrayList<>();
    inclusion(tree, m, 0, n, path);
    return path;
  }

  private static void inclusion(SubtreeHashes tree, long m, long lo, long hi, List<byte[]> out) {
    if (hi - lo == 1) {
      return;
    }
    long k = split(hi - lo);
    if (m - lo < k) {
      inclusion(tree, m, lo, lo + k, out);
      out.add(hash(tree, lo + k, hi));
    } else {
      inclusion(tree, m, lo + k, hi, out);
      out.add(hash(tree, lo, lo + k));
    }
  }

  /**
   * The consistency proof PROOF(m, D[n]) of RFC 9162 section 2.1.4.1; empty when {@code m == n} or
   * {@code m == 0} (every tree extends the empty one).
   */
  public static List<byte[]> consistency(SubtreeHashes tree, long m, long n) {
    if (m < 0 || m > n) {
      throw new IllegalArgumentException("no consistency proof from size " + m + " to " + n);
    }
    List<byte[]> out = new ArrayList<>();
    if (m > 0 && m < n) {
      subproof(tree, m, 0, n, true, out);
    }
    return out;
  }

  private static void subproof(
      SubtreeHashes tree, long m, long lo, long hi, boolean whole, List<byte[]> out) {
    if (m == hi - lo) {
      if (!whole) {
        out.add(hash(tree, lo, hi));
      }
      return;
    }
    long k = split(hi - lo);
    if (m <= k) {
      subproof(tree, m, lo, lo + k, whole, out);
      out.add(hash(tree, lo + k, hi));
    } else {
      subproof(tree, m - k, lo + k, hi, false, out);
      out.add(hash(tree, lo, lo + k));
    }
  }

  /** Verifies an audit path as in RFC 9162 section 2.1.3.2. */
  public static boolean verifyInclusion(
      long leafIndex, long treeSize, byte[] leafHash, List<byte[]> path, byte[] root) {
    if (leafIndex < 0 || leafIndex >= treeSize) {
      return false;
    }
    long fn = leafIndex;
    long sn = treeSize - 1;
    byte[] r = leafHash;
    for (byte[] p : path) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Hashes.node(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = Hashes.node(r, p);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root);
  }

  /** Verifies a consistency proof as in RFC 9162 section 2.1.4.2. */
  public static boolean verifyConsistency(
      long first, long second, byte[] firstHash, byte[] secondHash, List<byte[]> proof) {
    if (first < 0 || first > second) {
      return false;
    }
    if (first == second) {
      return proof.isEmpty() && MessageDigest.isEqual(firstHash, secondHash);
    }
    if (first == 0) {
      return proof.isEmpty();
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(first) == 1) {
      path.add(firstHash);
    }
    path.addAll(proof);
    long fn = first - 1;
    long sn = second - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Hashes.node(c, fr);
        sr = Hashes.node(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = Hashes.node(sr, c);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, firstHash) && MessageDigest.isEqual(sr, secondHash);
  }

  /** The largest power of two strictly below {@code width} (width at least 2). */
  static long split(long width) {
    return Long.highestOneBit(width - 1);
  }
}
