package io.rmb.peer.substrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.sr25519.Sr25519KeyPair;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class SignedExtrinsicTest {
  /** update_twin("relay.grid.tf", secp256k1 G) from tfchain.md. */
  static final byte[] CALL = Hex.decode("1912013472656c61792e677269642e746601840279be667ef9dcbbac"
      + "55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  static final byte[] GENESIS = filled(32, 0x01);
  static final TransactionContext CONTEXT = new TransactionContext(149, 2, GENESIS);

  /** The worked ed25519 example of tfchain.md, byte for byte (ed25519 is deterministic). */
  static final String EXPECTED = "6902" + "84" + "00"
      + "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee" + "00"
      + "637ce65234451cffef144a5b52f25f51bcc6c765137e9f7c5545b9d6d3a76bd4"
      + "53c3bba7e3f8c0ae221acc393e64da75c9830ebb33c70ebe753e6df5b141ee07"
      + "00" + "14" + "00"
      + "1912013472656c61792e677269642e746601840279be667ef9dcbbac55a06295ce870b07029bfcdb2dce"
      + "28d959f2815b16f81798";

  @Test
  void ed25519UpdateTwinMatchesTheWorkedExample() {
    Identity alice = Identity.fromSecret("//Alice", KeyType.ED25519);
    byte[] extrinsic = SignedExtrinsic.sign(CALL, alice.signer(), 5, 0, CONTEXT);
    assertThat(Hex.toHexString(extrinsic)).isEqualTo(EXPECTED);
  }

  @Test
  void sr25519SignatureVerifiesOverThePayload() {
    Identity alice = Identity.fromSecret("//Alice", KeyType.SR25519);
    byte[] extrinsic = SignedExtrinsic.sign(CALL, alice.signer(), 5, 0, CONTEXT);
    // same layout as the ed25519 example, signature type 01
    assertThat(extrinsic).hasSize(EXPECTED.length() / 2);
    assertThat(Hex.toHexString(Arrays.copyOfRange(extrinsic, 0, 36)))
        .isEqualTo("690284" + "00" + Hex.toHexString(alice.publicKey()));
    assertThat(extrinsic[36]).isEqualTo((byte) 0x01);
    byte[] signature = Arrays.copyOfRange(extrinsic, 37, 101);
    byte[] payload = concat(CALL, Hex.decode("001400"), Hex.decode("9500000002000000"), GENESIS,
        GENESIS);
    assertThat(Sr25519KeyPair.verify(alice.publicKey(), payload, signature)).isTrue();
    assertThat(Hex.toHexString(Arrays.copyOfRange(extrinsic, 101, extrinsic.length)))
        .isEqualTo("001400" + Hex.toHexString(CALL));
  }

  @Test
  void payloadOver256BytesIsSignedAsItsBlake2b256Hash() {
    Identity alice = Identity.fromSecret("//Alice", KeyType.ED25519);
    byte[] call = new byte[200];
    call[0] = 0x19;
    call[1] = 0x12;
    byte[] extra = SignedExtrinsic.extra(1, 0);
    byte[] raw = concat(call, extra, Hex.decode("9500000002000000"), GENESIS, GENESIS);
    assertThat(raw.length).isGreaterThan(256);
    assertThat(SignedExtrinsic.signingPayload(call, extra, CONTEXT))
        .isEqualTo(Hashing.blake2b256(raw));

    byte[] extrinsic = SignedExtrinsic.sign(call, alice.signer(), 1, 0, CONTEXT);
    ScaleReader reader = new ScaleReader(extrinsic, "extrinsic");
    assertThat(reader.length("length")).isEqualTo(extrinsic.length - 2);
    reader.bytes(2 + 32 + 1, "head");
    byte[] signature = reader.bytes(64, "signature");
    assertThat(Ed25519.verify(signature, 0, alice.publicKey(), 0, Hashing.blake2b256(raw), 0,
        32)).isTrue();
    assertThat(Ed25519.verify(signature, 0, alice.publicKey(), 0, raw, 0, raw.length)).isFalse();
  }

  @Test
  void payloadOfExactly256BytesIsSignedAsIs() {
    byte[] call = new byte[256 - 3 - 8 - 64];
    byte[] extra = SignedExtrinsic.extra(5, 0);
    byte[] payload = SignedExtrinsic.signingPayload(call, extra, CONTEXT);
    assertThat(payload).hasSize(256);
  }

  @Test
  void nonceAndTipAreCompact() {
    assertThat(Hex.toHexString(SignedExtrinsic.extra(0, 0))).isEqualTo("000000");
    assertThat(Hex.toHexString(SignedExtrinsic.extra(64, 0))).isEqualTo("00010100");
    assertThat(Hex.toHexString(SignedExtrinsic.extra(16384, 1))).isEqualTo("000200010004");
  }

  static byte[] concat(byte[]... parts) {
    ScaleWriter out = new ScaleWriter();
    for (byte[] part : parts) {
      out.raw(part);
    }
    return out.toByteArray();
  }

  static byte[] filled(int length, int value) {
    byte[] out = new byte[length];
    Arrays.fill(out, (byte) value);
    return out;
  }
}
