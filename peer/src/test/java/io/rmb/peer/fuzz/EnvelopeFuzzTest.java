package io.rmb.peer.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.rmb.peer.envelope.Challenge;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.ProtocolException.BadSignatureException;
import io.rmb.peer.envelope.ProtocolException.EnvelopeDecodeException;
import io.rmb.proto.Envelope;

/**
 * Envelope bytes as they come from a relay or a federation POST: {@link Envelopes#decode}
 * gives an envelope or {@link EnvelopeDecodeException} (code 101); a decoded envelope has a
 * challenge, re-encodes to an equal envelope, and {@link Envelopes#verify} accepts it or throws
 * {@link BadSignatureException} (code 104), for either signature scheme. Anything else (another
 * exception, a hang, running out of memory) is a finding.
 */
class EnvelopeFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void decodeAndVerify(byte[] bytes) throws InvalidProtocolBufferException {
    Envelope envelope;
    try {
      envelope = Envelopes.decode(bytes);
    } catch (EnvelopeDecodeException e) {
      assertThat(e.code()).isEqualTo(101);
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    assertThat(Envelope.parseFrom(envelope.toByteArray())).isEqualTo(envelope);
    assertThat(Challenge.of(envelope)).hasSize(16);
    assertThat(Envelopes.sourceTwin(envelope)).isBetween(0L, 0xffff_ffffL);
    assertThat(Envelopes.destinationTwin(envelope)).isBetween(0L, 0xffff_ffffL);
    verifyOrRefuse(envelope, FuzzKeys.SR25519);
    verifyOrRefuse(envelope, FuzzKeys.ED25519);
  }

  private static void verifyOrRefuse(Envelope envelope, byte[] account) {
    try {
      Envelopes.verify(envelope, account);
    } catch (BadSignatureException e) {
      assertThat(e.code()).isEqualTo(104);
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
