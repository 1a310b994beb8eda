package io.rmb.peer;

import java.security.SecureRandom;

/**
 * A {@link SecureRandom} that hands out the given bytes (repeating them), for reproducible
 * signatures and nonces in tests. Never use outside tests.
 */
public final class FixedRandom extends SecureRandom {
  private static final long serialVersionUID = 1L;
  private final byte[] bytes;
  private int next;

  public FixedRandom(byte[] bytes) {
    super(new byte[0]); // no seeding of the platform RNG; nextBytes is overridden
    if (bytes.length == 0) {
      throw new IllegalArgumentException("FixedRandom needs at least one byte");
    }
    this.bytes = bytes.clone();
  }

  @Override
  public synchronized void nextBytes(byte[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes[next];
      next = (next + 1) % bytes.length;
    }
  }
}
