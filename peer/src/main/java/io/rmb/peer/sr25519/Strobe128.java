package io.rmb.peer.sr25519;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The subset of STROBE-128 ("STROBEv1.0.2") that Merlin uses: meta-AD, AD, PRF and KEY.
 *
 * <p>Byte-for-byte the behaviour of the {@code merlin} crate's {@code strobe.rs}: rate
 * {@code R = 166}, operations framed by {@code begin_op} (which absorbs the previous
 * {@code pos_begin} and the flags, and forces a permutation for C/K operations), and
 * {@code run_f} padding with {@code pos_begin}, {@code 0x04} and {@code 0x80} at {@code R+1}.
 * Instances are mutable and not thread-safe; {@link #copy()} forks one.
 */
final class Strobe128 {
  private static final int R = 166;

  static final int FLAG_I = 1;
  static final int FLAG_A = 1 << 1;
  static final int FLAG_C = 1 << 2;
  static final int FLAG_T = 1 << 3;
  static final int FLAG_M = 1 << 4;
  static final int FLAG_K = 1 << 5;

  // The state right after the STROBE header permutation; identical for every protocol.
  private static final long[] INITIAL_STATE = initialState();

  // The 200-byte sponge state kept as 25 little-endian lanes, so the permutation needs no
  // conversion; byte position p lives in lane p/8 at bit 8*(p%8).
  private final long[] st;
  private int pos;
  private int posBegin;
  private int curFlags;

  /** Starts a STROBE-128 instance and absorbs {@code protocolLabel} as meta-AD. */
  Strobe128(byte[] protocolLabel) {
    this.st = INITIAL_STATE.clone();
    metaAd(protocolLabel, 0, protocolLabel.length, false);
  }

  private Strobe128(Strobe128 other) {
    this.st = other.st.clone();
    this.pos = other.pos;
    this.posBegin = other.posBegin;
    this.curFlags = other.curFlags;
  }

  /** An independent copy of this state. */
  Strobe128 copy() {
    return new Strobe128(this);
  }

  private static long[] initialState() {
    long[] s = new long[Keccak.LANES];
    byte[] header = new byte[18];
    header[0] = 1;
    header[1] = (byte) (R + 2);
    header[2] = 1;
    header[3] = 0;
    header[4] = 1;
    header[5] = 96;
    System.arraycopy("STROBEv1.0.2".getBytes(StandardCharsets.US_ASCII), 0, header, 6, 12);
    for (int i = 0; i < header.length; i++) {
      s[i >>> 3] ^= (header[i] & 0xffL) << ((i & 7) << 3);
    }
    Keccak.f1600(s);
    return s;
  }

  void metaAd(byte[] data, int off, int len, boolean more) {
    beginOp(FLAG_M | FLAG_A, more);
    absorb(data, off, len);
  }

  void ad(byte[] data, int off, int len, boolean more) {
    beginOp(FLAG_A, more);
    absorb(data, off, len);
  }

  void prf(byte[] out, int off, int len, boolean more) {
    beginOp(FLAG_I | FLAG_A | FLAG_C, more);
    squeeze(out, off, len);
  }

  void key(byte[] data, int off, int len, boolean more) {
    beginOp(FLAG_A | FLAG_C, more);
    overwrite(data, off, len);
  }

  /** Wipes the state; the instance must not be used afterwards. */
  void destroy() {
    Arrays.fill(st, 0L);
    pos = 0;
    posBegin = 0;
    curFlags = 0;
  }

  private void xorByte(int p, int b) {
    st[p >>> 3] ^= (b & 0xffL) << ((p & 7) << 3);
  }

  private int getByte(int p) {
    return (int) (st[p >>> 3] >>> ((p & 7) << 3)) & 0xff;
  }

  private void setByte(int p, int b) {
    int shift = (p & 7) << 3;
    st[p >>> 3] = (st[p >>> 3] & ~(0xffL << shift)) | ((b & 0xffL) << shift);
  }

  private void runF() {
    xorByte(pos, posBegin);
    xorByte(pos + 1, 0x04);
    xorByte(R + 1, 0x80);
    Keccak.f1600(st);
    pos = 0;
    posBegin = 0;
  }

  private void absorbByte(int b) {
    xorByte(pos, b);
    if (++pos == R) {
      runF();
    }
  }

  private void absorb(byte[] data, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      absorbByte(data[i]);
    }
  }

  private void overwrite(byte[] data, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      setByte(pos, data[i]);
      if (++pos == R) {
        runF();
      }
    }
  }

  private void squeeze(byte[] out, int off, int len) {
    for (int i = off, end = off + len; i < end; i++) {
      out[i] = (byte) getByte(pos);
      setByte(pos, 0);
      if (++pos == R) {
        runF();
      }
    }
  }

  private void beginOp(int flags, boolean more) {
    if (more) {
      // Continuing an operation is only legal with the same flags (merlin asserts this).
      if (curFlags != flags) {
        throw new IllegalStateException(
            "STROBE: cannot continue op " + curFlags + " with flags " + flags);
      }
      return;
    }
    if ((flags & FLAG_T) != 0) {
      throw new IllegalStateException("STROBE: the T flag is not supported");
    }
    int oldBegin = posBegin;
    posBegin = pos + 1;
    curFlags = flags;
    absorbByte(oldBegin);
    absorbByte(flags);
    // C and K operations must start on a fresh block.
    if ((flags & (FLAG_C | FLAG_K)) != 0 && pos != 0) {
      runF();
    }
  }
}
