package io.rmb.bridge.redis;

import io.rmb.peer.RmbException;
import java.util.Optional;

/**
 * A message popped from a bridge queue that cannot be used. When it names a usable
 * {@code ret} queue the client gets an error there with {@link #code()} (101 decode, 102
 * expired); otherwise the raw message goes to the dead-letter list.
 */
public final class MalformedMessageException extends RmbException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final transient String ret;
  private final transient String ref;

  MalformedMessageException(int code, String reason, String ret, String ref, String message) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.ret = ret == null || ret.isEmpty() ? null : ret;
    this.ref = ref;
  }

  /** The RMB error code: 101 (decode) or 102 (expired). */
  public int code() {
    return code;
  }

  /** A short metric tag: {@code json}, {@code base64}, {@code field}, {@code expired}, ... */
  public String reason() {
    return reason;
  }

  /** The request's reply queue, when it could be read. */
  public Optional<String> ret() {
    return Optional.ofNullable(ret);
  }

  /** The client's {@code ref}, when it could be read. */
  public Optional<String> ref() {
    return Optional.ofNullable(ref);
  }
}
