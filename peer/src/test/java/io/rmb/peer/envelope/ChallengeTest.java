package io.rmb.peer.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rmb.peer.Vectors;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Request;
import java.util.List;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChallengeTest {

  static List<JsonNode> cases() {
    return Vectors.list(Vectors.section("envelopes").get("cases"));
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void matchesRustChallengeOfEveryVectorEnvelope(JsonNode c) {
    Envelope envelope = Envelopes.decode(Vectors.hex(c, "bytes"));

    assertThat(Hex.toHexString(Challenge.preimage(envelope)))
        .as(c.get("name").asText())
        .isEqualTo(c.get("challenge_rust_preimage").asText());
    assertThat(Hex.toHexString(Challenge.of(envelope)))
        .isEqualTo(c.get("challenge_rust").asText());
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void tsClientWireBytesHashLikeRust(JsonNode c) {
    Envelope envelope = Envelopes.decode(Vectors.hex(c, "ts_client_envelope_bytes"));

    assertThat(Hex.toHexString(Challenge.of(envelope)))
        .isEqualTo(c.get("challenge_rust_of_ts_client_envelope_bytes").asText());
  }

  @Test
  void absentAndEmptyStringsHashTheSame() {
    Envelope.Builder base = Envelope.newBuilder().setUid("u").setTimestamp(1).setExpiration(2)
        .setSource(Address.newBuilder().setTwin(3))
        .setDestination(Address.newBuilder().setTwin(4))
        .setRequest(Request.newBuilder().setCommand("c"));
    Envelope absent = base.build();
    Envelope empty = base.clone().setTags("").setSchema("")
        .setSource(Address.newBuilder().setTwin(3).setConnection("")).build();

    assertThat(Challenge.of(empty)).isEqualTo(Challenge.of(absent));
  }

  @Test
  void absentAddressHashesAsTwinZero() {
    Envelope noSource = Envelope.newBuilder().setUid("u").setDestination(
        Address.newBuilder().setTwin(4)).build();
    Envelope zeroSource = noSource.toBuilder().setSource(Address.newBuilder().setTwin(0)).build();

    assertThat(new String(Challenge.preimage(noSource))).isEqualTo("u00" + "0" + "4");
    assertThat(Challenge.of(zeroSource)).isEqualTo(Challenge.of(noSource));
  }

  @Test
  void signatureFieldIsNotCovered() {
    Envelope unsigned = Envelope.newBuilder().setUid("u").build();
    Envelope signed = unsigned.toBuilder()
        .setSignature(com.google.protobuf.ByteString.copyFrom(new byte[65])).build();

    assertThat(Challenge.of(signed)).isEqualTo(Challenge.of(unsigned)).hasSize(Challenge.LENGTH);
  }

  @Test
  void everyCoveredFieldChangesTheChallenge() {
    Envelope base = Envelopes.decode(Vectors.hex(cases().get(0), "bytes"));
    byte[] reference = Challenge.of(base);
    List<Envelope> variants = List.of(
        base.toBuilder().setUid(base.getUid() + "x").build(),
        base.toBuilder().setTags("other").build(),
        base.toBuilder().setTimestamp(base.getTimestamp() + 1).build(),
        base.toBuilder().setExpiration(base.getExpiration() + 1).build(),
        base.toBuilder().setSource(base.getSource().toBuilder().setTwin(99)).build(),
        base.toBuilder().setSource(base.getSource().toBuilder().setConnection("z")).build(),
        base.toBuilder().setDestination(base.getDestination().toBuilder().setTwin(99)).build(),
        base.toBuilder().setRequest(Request.newBuilder().setCommand("other")).build(),
        base.toBuilder().setSchema("text/plain").build(),
        base.toBuilder().setFederation("fed").build(),
        base.toBuilder().setPlain(com.google.protobuf.ByteString.copyFromUtf8("{}")).build(),
        base.toBuilder().addRelays("extra.relay").build());
    for (Envelope variant : variants) {
      assertThat(Challenge.of(variant)).as(variant.toString()).isNotEqualTo(reference);
    }
  }
}
