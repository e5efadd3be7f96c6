package dev.ledger.ingest.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import biscuit.format.schema.Schema;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.ledger.ingest.InvalidEventException;
import dev.ledger.ingest.Problem;
import java.util.List;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.token.Biscuit;
import org.biscuitsec.biscuit.token.builder.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens that do not verify, made from good ones by the changes an attacker or a broken producer
 * would make to their protobuf, each refused with its own reason.
 */
class BiscuitRefusalTest {

  private static KeyPair root;
  private static Biscuit three;
  private static Biscuit sibling;
  private static Biscuit unrelated;

  @BeforeAll
  static void mint() throws Exception {
    root = KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519);
    Biscuit authority =
        Biscuit.builder(root)
            .add_authority_fact("user(\"user:dana\")")
            .add_authority_fact("right(\"files:read\")")
            .add_authority_fact("audience(\"https://files.example\")")
            .build();
    Biscuit two = authority.attenuate(new Block().add_fact("actor(\"agent:indexer\")"));
    three = two.attenuate(new Block().add_check("check if operation(\"files:read\")"));
    sibling = authority.attenuate(new Block().add_fact("actor(\"agent:mallory\")"));
    unrelated =
        Biscuit.builder(KeyPair.generate(Schema.PublicKey.Algorithm.Ed25519))
            .add_authority_fact("user(\"user:eve\")")
            .build()
            .attenuate(new Block().add_fact("actor(\"agent:eve\")"));
  }

  private static String refusal(byte[] token) {
    InvalidEventException e =
        catchThrowableOfType(
            InvalidEventException.class,
            () -> BiscuitAdapter.verifying(root.public_key()).events(token));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.problems()).extracting(Problem::field).containsExactly("biscuit");
    return e.problems().get(0).reason();
  }

  private static Schema.Biscuit proto(Biscuit token) throws Exception {
    return Schema.Biscuit.parseFrom(token.serialize());
  }

  @Test
  void theGoodTokenVerifies() throws Exception {
    assertThat(BiscuitAdapter.verifying(root.public_key()).events(three.serialize()).build())
        .hasSize(3);
  }

  @Test
  void anotherRootKeyIsAWrongRootKey() throws Exception {
    assertThat(refusal(unrelated.serialize()))
        .startsWith("wrong root key: ")
        .contains(root.public_key().toString());
  }

  @Test
  void anAlteredSignatureIsABadSignatureOfThatBlock() throws Exception {
    Schema.Biscuit good = proto(three);
    byte[] signature = good.getBlocks(0).getSignature().toByteArray();
    signature[5] ^= 1;
    byte[] altered =
        good.toBuilder()
            .setBlocks(
                0, good.getBlocks(0).toBuilder().setSignature(ByteString.copyFrom(signature)))
            .build()
            .toByteArray();
    assertThat(refusal(altered)).startsWith("bad signature: block 1 ");
  }

  @Test
  void swappedBlocksAreReordered() throws Exception {
    Schema.Biscuit good = proto(three);
    byte[] swapped =
        good.toBuilder()
            .setBlocks(0, good.getBlocks(1))
            .setBlocks(1, good.getBlocks(0))
            .build()
            .toByteArray();
    assertThat(refusal(swapped))
        .startsWith("reordered or foreign blocks: block 1 was appended after block 2");
  }

  @Test
  void aBlockOfASiblingTokenIsForeign() throws Exception {
    // The sibling's block was made from the same authority: it verifies, but after block 0, not
    // after block 1.
    Schema.Biscuit spliced =
        proto(three).toBuilder().setBlocks(1, proto(sibling).getBlocks(0)).build();
    assertThat(refusal(spliced.toByteArray()))
        .startsWith("reordered or foreign blocks: block 2 was appended after block 0");
  }

  @Test
  void aBlockOfAnUnrelatedTokenIsABadSignature() throws Exception {
    Schema.Biscuit spliced =
        proto(three).toBuilder().setBlocks(1, proto(unrelated).getBlocks(0)).build();
    assertThat(refusal(spliced.toByteArray()))
        .startsWith("bad signature: block 2 ")
        .contains("unrelated token");
  }

  @Test
  void aProofThatDoesNotMatchTheLastBlockIsABadSignature() throws Exception {
    Schema.Biscuit good = proto(three);
    Schema.Proof otherProof = proto(sibling).getProof();
    assertThat(refusal(good.toBuilder().setProof(otherProof).build().toByteArray()))
        .startsWith("bad signature: its proof");
  }

  @Test
  void aBlockOfAnotherFormatVersionIsUnsupported() throws Exception {
    Schema.Biscuit good = proto(three);
    Schema.Block block =
        Schema.Block.parseFrom(good.getBlocks(1).getBlock()).toBuilder().setVersion(99).build();
    byte[] future =
        good.toBuilder()
            .setBlocks(1, good.getBlocks(1).toBuilder().setBlock(block.toByteString()))
            .build()
            .toByteArray();
    assertThat(refusal(future)).startsWith("unsupported version: block 2 has format version 99");
  }

  @Test
  void aP256KeyIsAnUnsupportedAlgorithm() throws Exception {
    Schema.Biscuit good = proto(three);
    // SECP256R1 is algorithm 1 in Biscuit's schema; biscuit-java 4.0.1's schema does not know it,
    // so the value stays among the key's unknown fields, as it would in a real P-256 token.
    Schema.PublicKey p256 =
        good.getAuthority().getNextKey().toBuilder()
            .clearAlgorithm()
            .setUnknownFields(
                UnknownFieldSet.newBuilder()
                    .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                    .build())
            .buildPartial();
    byte[] token =
        good.toBuilder()
            .setAuthority(good.getAuthority().toBuilder().setNextKey(p256).buildPartial())
            .buildPartial()
            .toByteArray();
    assertThat(refusal(token))
        .startsWith("unsupported algorithm: block 0's next key is a SECP256R1 (P-256) key");
    assertThatThrownBy(() -> BiscuitAdapter.verifying("secp256r1/" + "ab".repeat(33)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unsupported algorithm: a secp256r1 root key");
  }

  @Test
  void bytesThatAreNoBiscuitAreMalformed() throws Exception {
    assertThat(refusal(new byte[] {1, 2, 3})).startsWith("not a Biscuit: ");
    assertThat(refusal(new byte[0])).startsWith("not a Biscuit: ");
    assertThatThrownBy(() -> BiscuitAdapter.verifying(root.public_key()).events("not a biscuit!"))
        .isInstanceOfSatisfying(
            InvalidEventException.class,
            e ->
                assertThat(e.problems().get(0).reason())
                    .startsWith("not a Biscuit: not base64url"));
  }

  @Test
  void everyReasonHasItsOwnLabel() {
    assertThat(List.of(BiscuitRefusal.values()))
        .extracting(BiscuitRefusal::label)
        .doesNotHaveDuplicates();
  }
}
