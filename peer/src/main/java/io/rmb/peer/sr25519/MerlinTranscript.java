package io.rmb.peer.sr25519;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A Merlin transcript (merlin 3.x / "Merlin v1.0"): a STROBE-128 duplex that absorbs labelled
 * messages and squeezes labelled challenges, plus the transcript-bound witness RNG.
 *
 * <p>Mutable and not thread-safe; {@link #copy()} forks it, which is how precomputed prefixes
 * (such as a signing context) are reused. Labels are raw bytes, as in merlin.
 */
final class MerlinTranscript {
  private static final byte[] DOM_SEP = ascii("dom-sep");
  private static final byte[] RNG_LABEL = ascii("rng");

  // Strobe128::new("Merlin v1.0") is the same for every transcript, so it is done once.
  private static final Strobe128 MERLIN_BASE = new Strobe128(ascii("Merlin v1.0"));

  private final Strobe128 strobe;

  /** Starts a transcript for the protocol {@code label} (appended under "dom-sep"). */
  MerlinTranscript(byte[] label) {
    this.strobe = MERLIN_BASE.copy();
    appendMessage(DOM_SEP, label);
  }

  private MerlinTranscript(Strobe128 strobe) {
    this.strobe = strobe;
  }

  /** An independent copy of this transcript. */
  MerlinTranscript copy() {
    return new MerlinTranscript(strobe.copy());
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Absorbs {@code message}, framed by its label and its length as little-endian u32. */
  void appendMessage(byte[] label, byte[] message) {
    appendMessage(label, message, 0, message.length);
  }

  /** Absorbs {@code message[off, off+len)}; see {@link #appendMessage(byte[], byte[])}. */
  void appendMessage(byte[] label, byte[] message, int off, int len) {
    metaLabel(label, len);
    strobe.ad(message, off, len, false);
  }

  /** Appends {@code x} as 8 little-endian bytes. */
  void appendU64(byte[] label, long x) {
    byte[] le = new byte[8];
    for (int i = 0; i < 8; i++) {
      le[i] = (byte) (x >>> (8 * i));
    }
    appendMessage(label, le);
  }

  /** Fills {@code dest} with challenge bytes bound to everything absorbed so far. */
  void challengeBytes(byte[] label, byte[] dest) {
    metaLabel(label, dest.length);
    strobe.prf(dest, 0, dest.length, false);
  }

  // meta-AD(label) followed by meta-AD(LE32(len)) continuing the same operation.
  private void metaLabel(byte[] label, int len) {
    strobe.metaAd(label, 0, label.length, false);
    strobe.metaAd(le32(len), 0, 4, true);
  }

  private static byte[] le32(int x) {
    return new byte[] {(byte) x, (byte) (x >>> 8), (byte) (x >>> 16), (byte) (x >>> 24)};
  }

  /** Forks the transcript into a builder for a witness RNG (merlin's {@code build_rng}). */
  RngBuilder buildRng() {
    return new RngBuilder(strobe.copy());
  }

  /**
   * schnorrkel's {@code witness_bytes_rng}: rekeys a fork with every {@code witnesses} entry
   * under {@code label}, finalizes it with 32 bytes from {@code rng} and fills {@code dest}.
   * This transcript itself is not changed.
   */
  void witnessBytes(byte[] label, byte[] dest, SecureRandom rng, byte[]... witnesses) {
    RngBuilder builder = buildRng();
    for (byte[] w : witnesses) {
      builder.rekeyWithWitnessBytes(label, w);
    }
    TranscriptRng tr = builder.finalizeWith(rng);
    tr.fillBytes(dest);
    tr.destroy();
  }

  /** Builds a {@link TranscriptRng} from a transcript fork, secret witnesses and entropy. */
  static final class RngBuilder {
    private final Strobe128 strobe;

    private RngBuilder(Strobe128 strobe) {
      this.strobe = strobe;
    }

    /** Keys the fork with secret {@code witness} bytes under {@code label}. */
    RngBuilder rekeyWithWitnessBytes(byte[] label, byte[] witness) {
      strobe.metaAd(label, 0, label.length, false);
      strobe.metaAd(le32(witness.length), 0, 4, true);
      strobe.key(witness, 0, witness.length, false);
      return this;
    }

    /** merlin's {@code finalize}: keys the fork with 32 bytes from {@code rng} under "rng". */
    TranscriptRng finalizeWith(SecureRandom rng) {
      byte[] random = new byte[32];
      rng.nextBytes(random);
      strobe.metaAd(RNG_LABEL, 0, RNG_LABEL.length, false);
      strobe.key(random, 0, random.length, false);
      Arrays.fill(random, (byte) 0);
      return new TranscriptRng(strobe);
    }
  }

  /** The transcript-bound RNG; each fill is framed by its length, as in merlin. */
  static final class TranscriptRng {
    private final Strobe128 strobe;

    private TranscriptRng(Strobe128 strobe) {
      this.strobe = strobe;
    }

    void fillBytes(byte[] dest) {
      strobe.metaAd(le32(dest.length), 0, 4, false);
      strobe.prf(dest, 0, dest.length, false);
    }

    /** Wipes the keyed state. */
    void destroy() {
      strobe.destroy();
    }
  }
}
