package io.rmb.peer.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.rmb.peer.Vectors;
import io.rmb.peer.envelope.ProtocolException.BadSignatureException;
import io.rmb.peer.envelope.ProtocolException.EnvelopeDecodeException;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Request;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopesTest {
  private static final String MNEMONIC =
      "volume behind cable present pull exchange wish loyal avocado snap film increase";

  static List<JsonNode> signed() {
    return Vectors.list(Vectors.section("envelopes").get("signed"));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("signed")
  void acceptsEverySignedVectorEnvelope(JsonNode c) {
    Envelope envelope = Envelopes.decode(Vectors.hex(c, "bytes"));

    assertThat(Hex.toHexString(Challenge.of(envelope))).isEqualTo(c.get("challenge").asText());
    assertThat(Hex.toHexString(envelope.getSignature().toByteArray()))
        .isEqualTo(c.get("signature_65").asText());
    Envelopes.verify(envelope, Vectors.hex(c, "signer_public_key"));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("signed")
  void rejectsEveryTamperedVectorEnvelope(JsonNode c) {
    Envelope tampered = Envelopes.decode(Vectors.hex(c.get("tampered"), "bytes"));

    assertThatThrownBy(() -> Envelopes.verify(tampered, Vectors.hex(c, "signer_public_key")))
        .isInstanceOf(BadSignatureException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(104))
        .hasMessageContaining(tampered.getUid());
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("signed")
  void reproducesDeterministicEd25519Signatures(JsonNode c) {
    if (!c.get("deterministic_signature").asBoolean()) {
      return; // sr25519 signatures are randomised; they are verified above
    }
    Envelope vector = Envelopes.decode(Vectors.hex(c, "bytes"));
    Identity identity = Identity.fromSecret(c.get("suri").asText(), KeyType.ED25519);

    Envelope resigned = Envelopes.sign(vector.toBuilder(), identity.signer()).build();

    assertThat(resigned.toByteArray()).isEqualTo(vector.toByteArray());
  }

  @Test
  void acceptsRustStyleEnvelopeWithoutSchema() {
    JsonNode c = Vectors.section("envelopes").get("rust_signed_without_schema");
    Envelope envelope = Envelopes.decode(Vectors.hex(c, "bytes"));
    byte[] account = Identity.fromSecret(MNEMONIC, KeyType.SR25519).publicKey();

    assertThat(Hex.toHexString(Challenge.of(envelope))).isEqualTo(c.get("challenge_rust").asText());
    Envelopes.verify(envelope, account);
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void signThenVerifyRoundTripsAndBindsTheSigner(KeyType type) {
    Identity alice = Identity.fromSecret(MNEMONIC, type);
    Identity other = Identity.fromSecret("//Bob", type);
    Envelope envelope = Envelopes.sign(request(), alice.signer()).build();

    assertThat(envelope.getSignature().byteAt(0)).isEqualTo(type.prefix());
    assertThat(envelope.getSignature().size()).isEqualTo(Envelopes.SIGNATURE_LENGTH);
    Envelopes.verify(Envelopes.decode(envelope.toByteArray()), alice.publicKey());
    assertThatThrownBy(() -> Envelopes.verify(envelope, other.publicKey()))
        .isInstanceOf(BadSignatureException.class);
  }

  @Test
  void rejectsMissingAndMalformedSignatures() {
    byte[] account = Identity.fromSecret(MNEMONIC, KeyType.ED25519).publicKey();
    Envelope unsigned = request().build();
    Envelope empty = unsigned.toBuilder().setSignature(ByteString.EMPTY).build();
    Envelope shortSig = unsigned.toBuilder().setSignature(ByteString.copyFrom(new byte[64]))
        .build();
    byte[] unknownPrefix = new byte[65];
    unknownPrefix[0] = 'x';
    Envelope badPrefix = unsigned.toBuilder().setSignature(ByteString.copyFrom(unknownPrefix))
        .build();

    assertThatThrownBy(() -> Envelopes.verify(unsigned, account))
        .isInstanceOf(BadSignatureException.class).hasMessageContaining("no signature");
    assertThatThrownBy(() -> Envelopes.verify(empty, account))
        .isInstanceOf(BadSignatureException.class).hasMessageContaining("no signature");
    assertThatThrownBy(() -> Envelopes.verify(shortSig, account))
        .isInstanceOf(BadSignatureException.class).hasMessageContaining("65");
    assertThatThrownBy(() -> Envelopes.verify(badPrefix, account))
        .isInstanceOf(BadSignatureException.class).hasMessageContaining("prefix");
    assertThatThrownBy(() -> Envelopes.verify(Envelopes.sign(request(),
        Identity.fromSecret(MNEMONIC, KeyType.ED25519).signer()).build(), new byte[31]))
        .isInstanceOf(BadSignatureException.class).hasMessageContaining("32");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "ff", "0a", "0aff", "12", "0a057569642d", "ffffffffffffffffff"})
  void garbageBytesAreDecodeErrors(String hex) {
    assertThatThrownBy(() -> Envelopes.decode(Hex.decode(hex)))
        .isInstanceOf(EnvelopeDecodeException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(101))
        .hasMessageContaining("envelope");
  }

  @Test
  void everyTruncationOfARealEnvelopeIsADecodeErrorOrAnotherEnvelope() {
    byte[] bytes = Vectors.hex(signed().get(0), "bytes");
    byte[] account = Vectors.hex(signed().get(0), "signer_public_key");
    for (int len = 0; len < bytes.length; len++) {
      byte[] truncated = Arrays.copyOf(bytes, len);
      try {
        Envelope partial = Envelopes.decode(truncated);
        // a prefix can be a valid message with fewer fields; it must then fail verification
        assertThatThrownBy(() -> Envelopes.verify(partial, account))
            .isInstanceOf(BadSignatureException.class);
      } catch (EnvelopeDecodeException expected) {
        assertThat(expected.code()).isEqualTo(101);
      }
    }
  }

  @Test
  void randomGarbageNeverEscapesAsAnUnexpectedException() {
    Random random = new Random(42);
    byte[] account = new byte[32];
    for (int i = 0; i < 2000; i++) {
      byte[] garbage = new byte[1 + random.nextInt(200)];
      random.nextBytes(garbage);
      try {
        Envelopes.verify(Envelopes.decode(garbage), account);
      } catch (ProtocolException expected) {
        assertThat(expected.code()).isIn(101L, 104L);
      }
    }
  }

  @Test
  void aStrayEndGroupTagAfterAValidEnvelopeIsADecodeError() {
    byte[] bytes = Vectors.hex(signed().get(0), "bytes");
    assertThat(Envelopes.decode(bytes).getUid()).isNotEmpty();
    byte[] withEndGroup = Arrays.copyOf(bytes, bytes.length + 1);
    withEndGroup[bytes.length] = 0x0c; // field 1, wire type 4 (END_GROUP)
    assertThatThrownBy(() -> Envelopes.decode(withEndGroup))
        .isInstanceOf(EnvelopeDecodeException.class);
  }

  @Test
  void decodedPayloadAndSignatureEqualTheEncodedOnes() {
    Envelope original = Envelope.newBuilder().setUid("u").setCipher(ByteString.copyFrom(
        new byte[] {1, 2, 3, 4, 5})).setSignature(ByteString.copyFrom(new byte[65])).build();
    Envelope decoded = Envelopes.decode(original.toByteArray());
    assertThat(decoded.getCipher().toByteArray()).containsExactly(1, 2, 3, 4, 5);
    assertThat(decoded).isEqualTo(original);
  }

  @Test
  void relayErrorsHaveNoSource() {
    Envelope relayError = Envelope.newBuilder().setUid("u")
        .setError(io.rmb.proto.Error.newBuilder().setMessage("unknown twin destination"))
        .setDestination(Address.newBuilder().setTwin(7)).build();
    Envelope peerError = relayError.toBuilder().setSource(Address.newBuilder().setTwin(9)).build();

    assertThat(Envelopes.isRelayError(relayError)).isTrue();
    assertThat(Envelopes.isRelayError(peerError)).isFalse();
    assertThat(Envelopes.isRelayError(request().build())).isFalse();
    assertThat(Envelopes.sourceTwin(relayError)).isZero();
    assertThat(Envelopes.destinationTwin(relayError)).isEqualTo(7);
  }

  private static Envelope.Builder request() {
    return Envelope.newBuilder().setUid("uid-1").setTimestamp(1_700_000_000L).setExpiration(60)
        .setSource(Address.newBuilder().setTwin(7))
        .setDestination(Address.newBuilder().setTwin(11))
        .setRequest(Request.newBuilder().setCommand("cmd.echo"))
        .setSchema("application/json")
        .setPlain(ByteString.copyFromUtf8("{\"a\":1}"));
  }
}
