package io.rmb.peer.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.substrate.ScaleException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/** The worked examples of tfchain.md ("Reading" and "Writing"). */
class TfchainCodecTest {
  static final String ALICE_SR25519 =
      "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
  static final String G =
      "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  static final String EXAMPLE_TWIN = "07000000" + ALICE_SR25519
      + "01" + "34" + "72656c61792e677269642e7466" + "00" + "01" + "84" + G;

  @Test
  void twinsKeyOfSeven() {
    assertThat(Hex.toHexString(TfchainCodec.twinKey(7))).isEqualTo(
        "19a2526838feefd7695a3b5715b415b1" + "311378229266fc86f673a3f4cf398e69"
            + "99850724010e3222888eeb8478c9ffd3" + "07000000");
  }

  @Test
  void twinIdByAccountKeyOfAlice() {
    byte[] alice = Identity.fromSecret("//Alice", KeyType.SR25519).publicKey();
    assertThat(Hex.toHexString(alice)).isEqualTo(ALICE_SR25519);
    assertThat(Hex.toHexString(TfchainCodec.twinIdByAccountKey(alice))).isEqualTo(
        "19a2526838feefd7695a3b5715b415b1" + "aca6514962aa3f0d58aff3524045f9e0"
            + "de1e86a9a8c739864cf3cc5ec2bea59f" + ALICE_SR25519);
    assertThatThrownBy(() -> TfchainCodec.twinIdByAccountKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes, got 31");
  }

  @Test
  void decodesTheExampleTwin() {
    Twin twin = TfchainCodec.decodeTwin(Hex.decode(EXAMPLE_TWIN));
    assertThat(twin.id()).isEqualTo(7);
    assertThat(Hex.toHexString(twin.account())).isEqualTo(ALICE_SR25519);
    assertThat(twin.relays()).containsExactly("relay.grid.tf");
    assertThat(twin.publicKey()).hasValueSatisfying(pk ->
        assertThat(Hex.toHexString(pk)).isEqualTo(G));
  }

  @Test
  void encodesTheExampleTwin() {
    Twin twin = new Twin(7, Hex.decode(ALICE_SR25519), Set.of("relay.grid.tf"), Hex.decode(G));
    assertThat(Hex.toHexString(TfchainCodec.encodeTwin(twin))).isEqualTo(EXAMPLE_TWIN);
  }

  @Test
  void decodesSeveralRelaysEntitiesAndNoPk() {
    String value = "2a000000" + ALICE_SR25519
        + "01" + "34" + "615f625f632e6578616d706c65" // "a_b_c.example", 13 bytes -> 0x34
        + "08" + "01000000" + "0c010203" + "02000000" + "00" // two entities
        + "00"; // no pk
    Twin twin = TfchainCodec.decodeTwin(Hex.decode(value));
    assertThat(twin.id()).isEqualTo(42);
    assertThat(twin.relays()).containsExactly("a", "b", "c.example");
    assertThat(twin.publicKey()).isEmpty();
  }

  @Test
  void decodesTwinWithoutRelay() {
    Twin twin = TfchainCodec.decodeTwin(Hex.decode("01000000" + ALICE_SR25519 + "00" + "00"
        + "00"));
    assertThat(twin.relays()).isEmpty();
    assertThat(twin.publicKey()).isEmpty();
  }

  @Test
  void decodesTwinIds() {
    assertThat(TfchainCodec.decodeTwinId(Hex.decode("07000000"))).isEqualTo(7);
    assertThat(TfchainCodec.decodeTwinId(Hex.decode("ffffffff"))).isEqualTo(0xffff_ffffL);
    assertThatThrownBy(() -> TfchainCodec.decodeTwinId(Hex.decode("070000")))
        .isInstanceOf(ScaleException.class)
        .hasMessage("TwinIdByAccountID value: twin_id at offset 0: truncated: needs 4 bytes,"
            + " only 3 left of 3");
    assertThatThrownBy(() -> TfchainCodec.decodeTwinId(Hex.decode("0700000000")))
        .isInstanceOf(ScaleException.class).hasMessageContaining("1 unexpected trailing byte");
  }

  @Test
  void updateTwinCallMatchesTheWorkedExample() {
    byte[] call = TfchainCodec.updateTwinCall(Set.of("relay.grid.tf"), Hex.decode(G));
    assertThat(Hex.toHexString(call))
        .isEqualTo("1912" + "01" + "34" + "72656c61792e677269642e7466" + "01" + "84" + G);
    LinkedHashSet<String> two = new LinkedHashSet<>(List.of("r1.example", "r2.example"));
    assertThat(Hex.toHexString(TfchainCodec.updateTwinCall(two, null)))
        .isEqualTo("1912" + "01" + "54" + Hex.toHexString("r1.example_r2.example".getBytes())
            + "00");
    assertThat(Hex.toHexString(TfchainCodec.updateTwinCall(Set.of(), null))).isEqualTo("19120000");
    assertThatThrownBy(() -> TfchainCodec.updateTwinCall(Set.of("bad_relay"), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'_'");
  }

  @Test
  void truncatedTwinNamesTheField() {
    byte[] full = Hex.decode(EXAMPLE_TWIN);
    assertThatThrownBy(() -> TfchainCodec.decodeTwin(java.util.Arrays.copyOf(full, 20)))
        .isInstanceOf(ScaleException.class)
        .hasMessage("Twin value: account_id at offset 4: truncated: needs 32 bytes, only 16 left"
            + " of 20");
    assertThatThrownBy(() -> TfchainCodec.decodeTwin(java.util.Arrays.copyOf(full, 45)))
        .isInstanceOf(ScaleException.class)
        .hasMessageContaining("relay at offset 38: truncated: needs 13 bytes");
    assertThatThrownBy(() -> TfchainCodec.decodeTwin(java.util.Arrays.copyOf(full,
        full.length - 1)))
        .isInstanceOf(ScaleException.class)
        .hasMessageContaining("pk at offset 54: truncated: needs 33 bytes, only 32 left");
  }

  @Test
  void garbageTwinsAreRefusedPrecisely() {
    String badTag = "07000000" + ALICE_SR25519 + "05";
    assertThatThrownBy(() -> TfchainCodec.decodeTwin(Hex.decode(badTag)))
        .isInstanceOf(ScaleException.class)
        .hasMessage("Twin value: relay at offset 36: invalid Option tag 0x05 (expected 00 or 01)");
    String badUtf8 = "07000000" + ALICE_SR25519 + "01" + "08" + "c328" + "00" + "00";
    assertThatThrownBy(() -> TfchainCodec.decodeTwin(Hex.decode(badUtf8)))
        .isInstanceOf(ScaleException.class).hasMessageContaining("relay is not valid UTF-8");
    assertThatThrownBy(() -> TfchainCodec.decodeTwin(Hex.decode(EXAMPLE_TWIN + "00")))
        .isInstanceOf(ScaleException.class)
        .hasMessage("Twin value: 1 unexpected trailing byte at offset 87 of 88");
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      byte[] garbage = Hex.decode(EXAMPLE_TWIN);
      garbage[36 + random.nextInt(garbage.length - 36)] = (byte) random.nextInt(256);
      byte[] cut = java.util.Arrays.copyOf(garbage, random.nextInt(garbage.length + 1));
      try {
        TfchainCodec.decodeTwin(cut);
      } catch (ScaleException expected) {
        assertThat(expected.getMessage()).startsWith("Twin value");
      }
    }
  }
}
