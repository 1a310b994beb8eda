package io.rmb.peer.sr25519;

import static io.rmb.peer.sr25519.MerlinTranscript.ascii;
import static io.rmb.peer.sr25519.TestSupport.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.peer.FixedRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MerlinTranscriptTest {

  @Test
  void merlinPublishedConformanceVector() {
    // merlin's README / lib.rs conformance test.
    MerlinTranscript t = new MerlinTranscript(ascii("test protocol"));
    t.appendMessage(ascii("some label"), ascii("some data"));
    byte[] challenge = new byte[32];
    t.challengeBytes(ascii("challenge"), challenge);
    assertThat(hex(challenge))
        .isEqualTo("d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615");
  }

  @Test
  void copyForksIndependentState() {
    MerlinTranscript a = new MerlinTranscript(ascii("fork"));
    a.appendMessage(ascii("x"), new byte[300]); // crosses the 166-byte rate
    MerlinTranscript b = a.copy();
    byte[] ca = new byte[200];
    byte[] cb = new byte[200];
    a.challengeBytes(ascii("c"), ca);
    b.challengeBytes(ascii("c"), cb);
    assertThat(ca).isEqualTo(cb);
    a.appendU64(ascii("n"), 1);
    b.appendU64(ascii("n"), 2);
    a.challengeBytes(ascii("c"), ca);
    b.challengeBytes(ascii("c"), cb);
    assertThat(ca).isNotEqualTo(cb);
  }

  @Test
  void appendSliceEqualsAppendCopy() {
    byte[] data = new byte[64];
    Arrays.fill(data, (byte) 7);
    data[10] = 1;
    MerlinTranscript a = new MerlinTranscript(ascii("slice"));
    MerlinTranscript b = new MerlinTranscript(ascii("slice"));
    a.appendMessage(ascii("m"), data, 10, 20);
    b.appendMessage(ascii("m"), Arrays.copyOfRange(data, 10, 30));
    byte[] ca = new byte[32];
    byte[] cb = new byte[32];
    a.challengeBytes(ascii("c"), ca);
    b.challengeBytes(ascii("c"), cb);
    assertThat(ca).isEqualTo(cb);
  }

  @Test
  void witnessRngIsBoundToTranscriptWitnessAndEntropy() {
    // Mirrors merlin's transcript_rng_is_bound_to_transcript_and_witnesses.
    byte[] w1 = ascii("witness data 1");
    byte[] w2 = ascii("witness data 2");
    byte[] s1 = witness("commitment data 1", w1, 0);
    byte[] s2 = witness("commitment data 2", w1, 0);
    byte[] s3 = witness("commitment data 2", w2, 0);
    byte[] s4 = witness("commitment data 2", w2, 0);
    byte[] s5 = witness("commitment data 2", w2, 1);
    assertThat(s1).isNotEqualTo(s2).isNotEqualTo(s3);
    assertThat(s2).isNotEqualTo(s3);
    assertThat(s3).isEqualTo(s4).isNotEqualTo(s5);
  }

  @Test
  void witnessDoesNotChangeTheTranscript() {
    MerlinTranscript a = new MerlinTranscript(ascii("p"));
    MerlinTranscript b = new MerlinTranscript(ascii("p"));
    a.witnessBytes(ascii("w"), new byte[64], new FixedRandom(new byte[] {9}), w(3));
    byte[] ca = new byte[32];
    byte[] cb = new byte[32];
    a.challengeBytes(ascii("c"), ca);
    b.challengeBytes(ascii("c"), cb);
    assertThat(ca).isEqualTo(cb);
  }

  @Test
  void strobeRejectsContinuingWithOtherFlags() {
    Strobe128 s = new Strobe128(ascii("flags"));
    s.metaAd(new byte[1], 0, 1, false);
    assertThatThrownBy(() -> s.ad(new byte[1], 0, 1, true))
        .isInstanceOf(IllegalStateException.class);
  }

  private static byte[] w(int b) {
    return new byte[] {(byte) b};
  }

  private static byte[] witness(String commitment, byte[] witness, int entropy) {
    MerlinTranscript t = new MerlinTranscript(ascii("test TranscriptRng collisions"));
    t.appendMessage(ascii("com"), ascii(commitment));
    byte[] out = new byte[64];
    MerlinTranscript.TranscriptRng rng =
        t.buildRng()
            .rekeyWithWitnessBytes(ascii("witness"), witness)
            .finalizeWith(new FixedRandom(new byte[] {(byte) entropy}));
    rng.fillBytes(out);
    return out;
  }
}
