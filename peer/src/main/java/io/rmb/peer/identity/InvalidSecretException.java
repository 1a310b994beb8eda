package io.rmb.peer.identity;

import io.rmb.peer.RmbException;

/**
 * A secret (mnemonic, 0x seed or secret URI) that cannot be turned into a key.
 *
 * <p>The message names the problem (word count, unknown word position, checksum, malformed
 * path, ...) and never contains the secret itself, beyond a single mistyped word.
 */
public class InvalidSecretException extends RmbException {
  private static final long serialVersionUID = 1L;

  public InvalidSecretException(String message) {
    super(message);
  }

  public InvalidSecretException(String message, Throwable cause) {
    super(message, cause);
  }
}
