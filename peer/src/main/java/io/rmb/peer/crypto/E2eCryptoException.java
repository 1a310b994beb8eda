package io.rmb.peer.crypto;

import io.rmb.peer.RmbException;

/** A key, shared-secret or AES-GCM failure in end-to-end encryption. */
public class E2eCryptoException extends RmbException {
  private static final long serialVersionUID = 1L;

  public E2eCryptoException(String message) {
    super(message);
  }

  public E2eCryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
