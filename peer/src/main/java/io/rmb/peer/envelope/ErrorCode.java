package io.rmb.peer.envelope;

/**
 * RMB protocol error codes carried in {@code Error.code} (wire.md section 5).
 *
 * <p>Peers answer a failed request with a signed error envelope holding one of these codes;
 * relays use {@link #HANDLER_ERROR} (0) with a message.
 */
public enum ErrorCode {
  /** 0: a relay error or an error returned by the remote command handler. */
  HANDLER_ERROR(0),
  /** 100: a non-binary (text) WebSocket frame. */
  NON_BINARY(100),
  /** 101: the bytes (or a local request) could not be decoded. */
  DECODE(101),
  /** 102: the envelope's TTL has run out, or its expiration is invalid. */
  EXPIRED(102),
  /** 103: the sender twin is not known to the directory. */
  UNKNOWN_TWIN(103),
  /** 104: the signature is missing or does not verify with the sender's account key. */
  BAD_SIGNATURE(104),
  /** 105: a cipher payload from a twin that has no public encryption key. */
  NO_PUBLIC_KEY(105),
  /** 106: the cipher payload could not be decrypted. */
  CRYPTO(106),
  /** 500: any other internal failure. */
  INTERNAL(500);

  private final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  /** The numeric code put on the wire. */
  public int code() {
    return code;
  }

  /**
   * The constant for a numeric code; unknown codes map to {@link #HANDLER_ERROR}, since any
   * code a remote handler chooses is carried through as an application error.
   */
  public static ErrorCode of(long code) {
    for (ErrorCode value : values()) {
      if (value.code == code) {
        return value;
      }
    }
    return HANDLER_ERROR;
  }
}
