package dev.ledger.export.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Merkle math against RFC 9162's definitions, for every size up to 64 and every index. */
class MerkleProofsTest {

  private static final int MAX = 64;

  /** MTH straight from RFC 9162 section 2.1.1, as the reference. */
  static byte[] mth(List<byte[]> leaves, int lo, int hi) {
    if (hi - lo == 0) {
      return Hashes.empty();
    }
    if (hi - lo == 1) {
      return Hashes.leaf(leaves.get(lo));
    }
    int k = Integer.highestOneBit(hi - lo - 1);
    return Hashes.node(mth(leaves, lo, lo + k), mth(leaves, lo + k, hi));
  }

  static List<byte[]> data(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(("leaf-" + i).getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Perfect subtrees computed by the reference, as a store would hold them. */
  static SubtreeHashes reference(List<byte[]> leaves) {
    return (level, index) -> {
      int lo = (int) (index << level);
      int hi = lo + (1 << level);
      assertThat(hi).as("a proof read a subtree past the data").isLessThanOrEqualTo(leaves.size());
      return mth(leaves, lo, hi);
    };
  }

  @Test
  void rootsMatchTheRfcDefinitionAndTheCompactRange() {
    List<byte[]> leaves = data(MAX);
    SubtreeHashes tree = reference(leaves);
    Map<String, byte[]> sunk = new HashMap<>();
    CompactRange range =
        CompactRange.empty((level, index, hash) -> sunk.put(level + "/" + index, hash));
    assertThat(range.root()).isEqualTo(Hashes.empty());
    for (int n = 1; n <= MAX; n++) {
      range.appendLeaf(Hashes.leaf(leaves.get(n - 1)));
      byte[] expected = mth(leaves, 0, n);
      assertThat(range.root()).as("compact range root of %d", n).isEqualTo(expected);
      assertThat(MerkleProofs.root(tree, n)).as("stored root of %d", n).isEqualTo(expected);
      assertThat(CompactRange.ofPeaks(n, range.peaks(), null).root()).isEqualTo(expected);
    }
    // Every node the range reported is the perfect subtree it claims to be.
    sunk.forEach(
        (key, hash) -> {
          String[] p = key.split("/");
          assertThat(hash)
              .as(key)
              .isEqualTo(tree.perfect(Integer.parseInt(p[0]), Long.parseLong(p[1])));
        });
    assertThat(sunk).hasSize(2 * MAX - 1);
  }

  @Test
  void knownAnswersFromCertificateTransparency() {
    // The eight test leaves and roots of the CT reference implementation's merkle tree tests.
    String[] leafHex = {
      "",
      "00",
      "10",
      "2021",
      "3031",
      "40414243",
      "5051525354555657",
      "606162636465666768696a6b6c6d6e6f"
    };
    String[] roots = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
    };
    CompactRange range = CompactRange.empty(null);
    for (int i = 0; i < leafHex.length; i++) {
      range.appendLeaf(Hashes.leaf(HexFormat.of().parseHex(leafHex[i])));
      assertThat(Hashes.hex(range.root())).as("root of %d", i + 1).isEqualTo(roots[i]);
    }
    assertThat(Hashes.hex(Hashes.empty()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void everyInclusionProofVerifiesAndNoWrongOneDoes() {
    List<byte[]> leaves = data(MAX);
    SubtreeHashes tree = reference(leaves);
    for (int n = 1; n <= MAX; n++) {
      byte[] root = mth(leaves, 0, n);
      for (int m = 0; m < n; m++) {
        byte[] leaf = Hashes.leaf(leaves.get(m));
        List<byte[]> path = MerkleProofs.inclusion(tree, m, n);
        assertThat(MerkleProofs.verifyInclusion(m, n, leaf, path, root))
            .as("leaf %d of %d", m, n)
            .isTrue();
        assertThat(MerkleProofs.verifyInclusion(m, n, Hashes.leaf(new byte[] {1}), path, root))
            .isFalse();
        if (n > 1) {
          assertThat(MerkleProofs.verifyInclusion((m + 1) % n, n, leaf, path, root))
              .as("moved leaf")
              .isFalse();
          assertThat(
                  MerkleProofs.verifyInclusion(m, n, leaf, path.subList(0, path.size() - 1), root))
              .isFalse();
        }
        assertThat(MerkleProofs.verifyInclusion(n, n, leaf, path, root))
            .as("index past the size")
            .isFalse();
      }
    }
  }

  @Test
  void everyConsistencyProofVerifiesAndNoWrongOneDoes() {
    List<byte[]> leaves = data(MAX);
    SubtreeHashes tree = reference(leaves);
    for (int n = 1; n <= MAX; n++) {
      byte[] newRoot = mth(leaves, 0, n);
      for (int m = 1; m <= n; m++) {
        byte[] oldRoot = mth(leaves, 0, m);
        List<byte[]> proof = MerkleProofs.consistency(tree, m, n);
        assertThat(MerkleProofs.verifyConsistency(m, n, oldRoot, newRoot, proof))
            .as("%d -> %d", m, n)
            .isTrue();
        byte[] forged = Hashes.node(oldRoot, oldRoot);
        assertThat(MerkleProofs.verifyConsistency(m, n, forged, newRoot, proof))
            .as("forged old root")
            .isFalse();
        if (m < n) {
          assertThat(MerkleProofs.verifyConsistency(m, n, oldRoot, forged, proof))
              .as("forged new root")
              .isFalse();
          assertThat(MerkleProofs.verifyConsistency(m, n, oldRoot, newRoot, List.of())).isFalse();
        }
      }
    }
  }

  @Test
  void everyRangeProofReproducesTheRootAndDetectsAChangedLeaf() {
    int max = 33;
    List<byte[]> leaves = data(max);
    SubtreeHashes tree = reference(leaves);
    for (int n = 0; n <= max; n++) {
      byte[] root = mth(leaves, 0, n);
      for (int a = 0; a <= n; a++) {
        for (int b = a; b <= n; b++) {
          RangeProof proof = RangeProof.of(tree, a, b, n);
          assertThat(proof.left().size() + proof.right().size())
              .isLessThanOrEqualTo(2 * 64 - Long.numberOfLeadingZeros(Math.max(1, n)) * 2 + 2);
          CompactRange range = proof.start(a);
          for (int i = a; i < b; i++) {
            range.appendLeaf(Hashes.leaf(leaves.get(i)));
          }
          assertThat(proof.finish(range, n)).as("[%d,%d) of %d", a, b, n).isEqualTo(root);
          if (b > a) {
            CompactRange bad = proof.start(a);
            for (int i = a; i < b; i++) {
              bad.appendLeaf(Hashes.leaf(i == b - 1 ? new byte[] {9} : leaves.get(i)));
            }
            assertThat(proof.finish(bad, n)).isNotEqualTo(root);
          }
        }
      }
    }
  }

  @Test
  void rangeProofsRefuseTheWrongShape() {
    List<byte[]> leaves = data(8);
    RangeProof proof = RangeProof.of(reference(leaves), 3, 5, 8);
    assertThatThrownBy(() -> proof.start(4)).isInstanceOf(IllegalArgumentException.class);
    CompactRange range = proof.start(3);
    range.appendLeaf(Hashes.leaf(leaves.get(3)));
    assertThatThrownBy(() -> proof.finish(range, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("right-hand hashes");
  }
}
